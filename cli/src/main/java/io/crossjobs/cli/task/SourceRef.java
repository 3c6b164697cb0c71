package io.crossjobs.cli.task;

/**
 * What a local source becomes in the submitted task: {@code {archive: "sha256:..."}} for a packed folder,
 * {@code {file: "sha256:..."}} for a file uploaded as it is.
 *
 * @param field   {@code archive} or {@code file}
 * @param digest  {@code sha256:<hex>} of the uploaded bytes
 */
public record SourceRef(String field, String digest) { }
