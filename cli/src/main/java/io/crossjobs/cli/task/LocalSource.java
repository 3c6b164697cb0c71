package io.crossjobs.cli.task;

import java.nio.file.Path;

/**
 * A local folder or file that a task names and that the CLI uploads before it submits the task: the
 * {@code workdir}, a {@code file_mounts} value that is a path, or a storage object whose {@code source} is a path.
 *
 * @param document  the task's index among the file's documents
 * @param remote    the file mount's target as written in the task; null for the workdir
 * @param written   the local path as written ({@code ~} and relative paths not yet resolved)
 * @param pipeline  whether the file holds several documents (field names then carry {@code doc[N].})
 */
public record LocalSource(int document, String remote, String written, boolean pipeline) {

    public boolean isWorkdir() { return remote == null; }

    /** The field as job-api names it: {@code workdir}, {@code file_mounts./data}, {@code doc[2].workdir}. */
    public String field() {
        String field = isWorkdir() ? "workdir" : "file_mounts." + remote;
        return pipeline ? "doc[" + document + "]." + field : field;
    }

    /**
     * Where the path is on this machine, as SkyPilot resolves it (docs, "Syncing Code, Git, and Files": relative
     * paths in workdir and file_mounts are relative to where the command runs): {@code ~} is the home folder,
     * a relative path is under {@code cwd}.
     */
    public Path resolve(Path cwd, Path home) {
        Path p;
        if (written.equals("~")) p = home;
        else if (written.startsWith("~/")) p = home.resolve(written.substring(2));
        else p = cwd.resolve(written);
        return p.normalize();
    }
}
