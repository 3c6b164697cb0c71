package io.crossjobs.jobapi.service;

/** How a submitted body is written: SkyPilot task YAML (possibly several documents) or the same as JSON. */
public enum TaskFormat { JSON, YAML }
