package io.crossjobs.jobapi.model;

import java.util.List;

/** One page of jobs, newest first; pass {@code nextCursor} as {@code ?cursor=} for the next (null: no more). */
public record JobPage(List<JobView> items, String nextCursor) {
}
