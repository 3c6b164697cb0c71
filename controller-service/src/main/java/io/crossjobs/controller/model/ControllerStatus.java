package io.crossjobs.controller.model;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /controller}: who the controller is, where this process was configured to run it, where it
 * effectively runs (recorded by the first start, changed only by a migration), and the migrations so far.
 */
public record ControllerStatus(String id, ControllerPlacement configured, ControllerPlacement effective,
                               boolean mismatch, String message, Instant since, List<Migration> migrations) {

    public record Where(String cloud, String region) { }

    public record Migration(Instant at, Where from, Where to, String message) { }
}
