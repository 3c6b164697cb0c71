package io.crossjobs.events;

/** Node {@code nodeRank}'s output of an attempt ends at byte {@code endOffset} (exclusive) as shipped. */
public record OutputEnd(int nodeRank, long endOffset) {
}
