package io.crossjobs.events;

/**
 * One thing a node stages before {@code setup}: the workdir, a local file or folder the CLI uploaded, or the objects of
 * a bucket. The node fetches each through a short-lived pre-signed request (no cloud credential on the node) that the
 * provisioner owning {@code uri}'s cloud signs at every launch, so every recovery stages again from the store.
 *
 * @param target where it goes on the node: {@link #WORKDIR} for the workdir, else as the task names it ({@code ~/...}
 *               under the node user's home, a relative path under the home too, an absolute path as is)
 * @param source what {@code uri} names
 * @param uri    {@code s3://bucket/key}, {@code gs://bucket/key} or {@code https://<account>.blob.core.windows.net/
 *               <container>/key}; for {@link Source#BUCKET} a prefix (the bucket, or a folder of it)
 * @param bytes  the object's size ({@link Source#ARCHIVE}, {@link Source#FILE}), for the egress of staging; 0 for a
 *               bucket, whose size is known only when it is listed at launch
 */
public record FileMount(String target, Source source, String uri, long bytes) {

    /** Where the workdir is unpacked, and the working folder of setup and run when there is one (as in SkyPilot). */
    public static final String WORKDIR = "~/sky_workdir";

    /** The setup exit code of a node that could not stage its files. */
    public static final int STAGING_FAILED = 122;

    public enum Source {
        /** A gzip'd tar the CLI packed of a folder: unpacked into {@code target}. */
        ARCHIVE,
        /** One file the CLI uploaded as it is: written to {@code target}. */
        FILE,
        /** Every object under the prefix {@code uri}, copied into the folder {@code target} (SkyPilot's COPY mode). */
        BUCKET
    }

    public FileMount {
        if (target == null || target.isBlank()) throw new IllegalArgumentException("a file mount needs a target");
        if (source == null) throw new IllegalArgumentException("a file mount needs a source");
        if (uri == null || uri.isBlank()) throw new IllegalArgumentException("a file mount needs a uri");
    }

    public boolean isWorkdir() {
        return WORKDIR.equals(target);
    }
}
