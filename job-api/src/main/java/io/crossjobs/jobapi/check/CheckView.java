package io.crossjobs.jobapi.check;

import java.time.Instant;
import java.util.List;

/** A {@code crossjobs check}: when and by whom it was asked, and each cloud's part, in the order asked. */
public record CheckView(String checkId, Instant requestedAt, String requestedBy, List<CloudCheck> clouds) {

    public CheckView {
        clouds = List.copyOf(clouds);
    }

    public boolean complete() {
        return clouds.stream().noneMatch(c -> c.state() == CloudCheck.State.PENDING);
    }
}
