package io.crossjobs.events;

/**
 * Which part of a task an exit code belongs to. TIME_LIMIT: the task's {@code max_duration} ran out while setup or run
 * was still going, and the node stopped it (the code is what the stopped command returned).
 */
public enum RunPhase { SETUP, RUN, TIME_LIMIT }
