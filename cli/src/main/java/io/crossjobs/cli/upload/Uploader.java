package io.crossjobs.cli.upload;

import io.crossjobs.cli.client.JobApi;
import io.crossjobs.cli.format.Sizes;
import io.crossjobs.cli.pack.Packed;

import java.io.PrintWriter;

/**
 * Puts packed sources into job-api's content-addressed store: {@code HEAD /archives/{digest}} first, and
 * {@code PUT} only what job-api does not hold yet. One line per source:
 * {@code workdir ./src: archive 1.2 MiB sha256:3f2a9c1e0b7d uploaded} (or {@code unchanged, not uploaded}).
 */
public final class Uploader {
    private static final int DIGEST_SHOWN = "sha256:".length() + 12;

    private final JobApi api;
    private final PrintWriter out;

    public Uploader(JobApi api, PrintWriter out) {
        this.api = api;
        this.out = out;
    }

    /** Whether the bytes were sent (false: job-api already held them). */
    public boolean upload(String what, Packed p) {
        String line = what + " " + p.source() + ": " + p.kind().field() + " " + Sizes.human(p.size()) + " "
                + p.digest().substring(0, Math.min(DIGEST_SHOWN, p.digest().length()));
        if (api.hasArchive(p.digest())) {
            println(line + " unchanged, not uploaded");
            return false;
        }
        api.putArchive(p.digest(), p.bytes(), "uploading " + what + " (" + p.source() + ", " + Sizes.human(p.size()) + ")");
        println(line + " uploaded");
        return true;
    }

    /** The line of a source whose bytes an earlier source of the same task already uploaded or found. */
    public void same(String what, Packed p, String earlier) {
        println(what + " " + p.source() + ": same " + p.kind().field() + " as " + earlier + ", not uploaded again");
    }

    private void println(String line) {
        out.println(line);
        out.flush();
    }
}
