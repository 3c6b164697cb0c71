package io.crossjobs.events;

import java.util.List;

/**
 * A {@link FileMount} with the signed GETs a node fetches it with, made at launch: one for an archive or a file (its
 * {@code path} empty), one per object of a bucket prefix (its {@code path} under the mount's target, already checked
 * to stay under it).
 */
public record StagedMount(FileMount mount, List<StagedObject> objects) {

    /** One object to fetch: where under the target it goes ("" for the target itself) and its signed GET. */
    public record StagedObject(String path, SignedRequest get) { }

    public StagedMount {
        objects = List.copyOf(objects);
    }
}
