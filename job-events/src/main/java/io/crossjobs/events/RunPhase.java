package io.crossjobs.events;

/** Which part of a task an exit code belongs to. */
public enum RunPhase { SETUP, RUN }
