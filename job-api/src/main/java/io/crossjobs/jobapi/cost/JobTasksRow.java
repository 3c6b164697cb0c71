package io.crossjobs.jobapi.cost;

/**
 * A job's pipeline as stored: {@code tasksJson} every task (null on rows older than pipelines), {@code taskJson} the
 * first. The parameter names are the entity's field names, for Panache's {@code project}.
 */
public record JobTasksRow(Long id, String taskJson, String tasksJson) { }
