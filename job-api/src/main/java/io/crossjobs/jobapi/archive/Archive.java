package io.crossjobs.jobapi.archive;

/** An upload job-api holds: its digest, its size and the object it is stored as. */
public record Archive(String digest, long bytes, String objectUri) { }
