package io.crossjobs.jobapi.model;

/** Where a pipeline task's latest attempt ran (or runs), as the status change that placed it reported. */
public record TaskPlacementView(String cloud, String region, String zone, String instanceType, boolean spot,
                                Double pricePerHour) {

    /** The placement a history row carries; null when it carried none. */
    public static TaskPlacementView of(JobHistoryEntry e) {
        if (e.cloud == null) return null;
        return new TaskPlacementView(e.cloud, e.region, e.zone, e.instanceType, Boolean.TRUE.equals(e.spot),
                e.pricePerHour);
    }
}
