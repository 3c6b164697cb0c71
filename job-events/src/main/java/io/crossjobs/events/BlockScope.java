package io.crossjobs.events;

/** How much of a cloud a launch failure rules out for the next attempt. */
public enum BlockScope { ZONE, REGION, CLOUD }
