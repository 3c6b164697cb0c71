package io.crossjobs.mockcloud.sim;

import java.util.List;

/** One or more VM ids are not (or no longer) known. */
public final class UnknownVmException extends RuntimeException {
    private final List<String> ids;

    public UnknownVmException(List<String> ids) {
        super("unknown VM id(s): " + String.join(", ", ids));
        this.ids = List.copyOf(ids);
    }

    public List<String> ids() {
        return ids;
    }
}
