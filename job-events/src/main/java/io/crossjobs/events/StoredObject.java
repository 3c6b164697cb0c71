package io.crossjobs.events;

/** An object as its cloud lists it: its URI ({@code s3://bucket/key}, ...) and size. */
public record StoredObject(String uri, long bytes) { }
