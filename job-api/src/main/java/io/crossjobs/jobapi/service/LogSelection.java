package io.crossjobs.jobapi.service;

/**
 * Which output of a job {@code GET /jobs/{id}/logs} serves: node {@code node}'s (its rank, 0 the head node), of every
 * attempt, or with {@code task} set only of the attempts that ran that pipeline task (0-based).
 */
public record LogSelection(int node, Integer task) { }
