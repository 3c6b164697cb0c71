package io.crossjobs.jobapi.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.events.FileMount;
import io.crossjobs.events.StorageUris;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * {@code workdir} and {@code file_mounts} as submitted → the task's {@link FileMount}s. Local paths never reach
 * job-api: the CLI (or a REST client, see README) uploads them first ({@code PUT /archives/{digest}}) and names them
 * {@code {archive: DIGEST}} (a gzip'd tar of a folder) or {@code {file: DIGEST}} (one file). Bucket URIs and
 * SkyPilot storage objects in COPY mode are copied from their bucket; MOUNT is refused by name, since crossjobs does
 * not mount buckets. An uploaded object's URI is left as its digest here: {@link ArchiveRefs} resolves it against
 * what job-api holds.
 */
public final class FileMountsMapper {
    /** {@code sha256:} and 64 lowercase hex digits: the digest of an upload's exact bytes. */
    public static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Set<String> STORAGE_FIELDS = Set.of("name", "source", "store", "mode", "persistent",
            "_force_delete", "config");
    private static final Map<String, String> STORE_SCHEMES = Map.of("s3", "s3://", "gcs", "gs://");
    private static final String UPLOAD_FIRST = "is a local path: upload it first and name it by its digest "
            + "({archive: sha256:...} for a folder, {file: sha256:...} for a file); crossjobs launch does this for you";

    /** The field an error about {@code mount} is reported under. */
    public static String field(FileMount mount) {
        return mount.isWorkdir() ? "workdir" : "file_mounts." + mount.target();
    }

    public static List<FileMount> map(JsonNode workdir, JsonNode fileMounts, BiConsumer<String, String> errors) {
        List<FileMount> mounts = new ArrayList<>();
        if (workdir != null && !workdir.isNull()) {
            if (workdir.isTextual()) {
                errors.accept("workdir", "'" + workdir.asText() + "' " + UPLOAD_FIRST);
            } else {
                uploaded(FileMount.WORKDIR, workdir, "workdir", errors).filter(m -> {
                    if (m.source() == FileMount.Source.ARCHIVE) return true;
                    errors.accept("workdir", "must be a folder: {archive: sha256:...}");
                    return false;
                }).ifPresent(mounts::add);
            }
        }
        if (fileMounts == null || fileMounts.isNull()) return mounts;
        if (!fileMounts.isObject()) {
            errors.accept("file_mounts", "must be a map of remote path → source");
            return mounts;
        }
        Iterator<Map.Entry<String, JsonNode>> entries = fileMounts.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String target = entry.getKey();
            String field = "file_mounts." + target;
            if (target.isBlank() || target.indexOf('\0') >= 0) {
                errors.accept(field, "must be a path on the node");
                continue;
            }
            if (target.equals(FileMount.WORKDIR) || target.equals("~/sky_workdir/")) {
                errors.accept(field, "is where the workdir goes; mount elsewhere");
                continue;
            }
            mount(target, entry.getValue(), field, errors).ifPresent(mounts::add);
        }
        return mounts;
    }

    private static java.util.Optional<FileMount> mount(String target, JsonNode value, String field,
                                                       BiConsumer<String, String> errors) {
        if (value == null || value.isNull()) {
            errors.accept(field, "needs a source");
            return java.util.Optional.empty();
        }
        if (value.isTextual()) return bucket(target, value.asText(), field, errors);
        if (!value.isObject()) {
            errors.accept(field, "must be a bucket URI, {archive|file: sha256:...}, or a storage object");
            return java.util.Optional.empty();
        }
        if (value.has("archive") || value.has("file")) return uploaded(target, value, field, errors);
        return storage(target, value, field, errors);
    }

    private static java.util.Optional<FileMount> uploaded(String target, JsonNode value, String field,
                                                          BiConsumer<String, String> errors) {
        if (!value.isObject() || value.size() != 1 || !(value.has("archive") || value.has("file"))) {
            errors.accept(field, "must be {archive: sha256:...} or {file: sha256:...}");
            return java.util.Optional.empty();
        }
        boolean archive = value.has("archive");
        JsonNode digest = value.get(archive ? "archive" : "file");
        if (!digest.isTextual() || !DIGEST.matcher(digest.asText()).matches()) {
            errors.accept(field + (archive ? ".archive" : ".file"), "must be sha256: and 64 lowercase hex digits");
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new FileMount(target, archive ? FileMount.Source.ARCHIVE : FileMount.Source.FILE,
                digest.asText(), 0));
    }

    private static java.util.Optional<FileMount> bucket(String target, String uri, String field,
                                                        BiConsumer<String, String> errors) {
        if (StorageUris.cloudOf(uri).isPresent()) {
            return java.util.Optional.of(new FileMount(target, FileMount.Source.BUCKET, uri, 0));
        }
        if (StorageUris.isUri(uri)) {
            errors.accept(field, "'" + uri + "' is not a bucket crossjobs can copy from: s3://, gs:// or "
                    + "https://<account>.blob.core.windows.net/<container>");
        } else {
            errors.accept(field, "'" + uri + "' " + UPLOAD_FIRST);
        }
        return java.util.Optional.empty();
    }

    /** SkyPilot's storage object: {@code {name, source, store, mode}}; crossjobs copies from existing buckets. */
    private static java.util.Optional<FileMount> storage(String target, JsonNode value, String field,
                                                         BiConsumer<String, String> errors) {
        Iterator<String> names = value.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!STORAGE_FIELDS.contains(name)) {
                errors.accept(field + "." + name, "is not a field of a storage object (name, source, store, mode, "
                        + "persistent)");
                return java.util.Optional.empty();
            }
        }
        String mode = value.path("mode").asText("MOUNT").toUpperCase(Locale.ROOT);
        if (!mode.equals("COPY")) {
            errors.accept(field + ".mode", "'" + mode + "' is not supported: crossjobs does not mount buckets (no FUSE "
                    + "on its images); set mode: COPY to copy the objects onto the node before setup");
            return java.util.Optional.empty();
        }
        JsonNode source = value.get("source");
        if (source != null && !source.isNull()) {
            if (!source.isTextual()) {
                errors.accept(field + ".source", "must be one bucket URI or local path");
                return java.util.Optional.empty();
            }
            return bucket(target, source.asText(), field + ".source", errors);
        }
        String name = value.path("name").asText(null);
        String store = value.path("store").asText("").toLowerCase(Locale.ROOT);
        if (name == null || name.isBlank()) {
            errors.accept(field, "a storage object needs a source or a name");
            return java.util.Optional.empty();
        }
        String scheme = STORE_SCHEMES.get(store);
        if (scheme == null) {
            errors.accept(field + ".store", "'" + store + "': name an existing bucket with store s3 or gcs, or give "
                    + "an Azure container as source: https://<account>.blob.core.windows.net/<container>");
            return java.util.Optional.empty();
        }
        return bucket(target, scheme + name, field + ".name", errors);
    }

    private FileMountsMapper() { }
}
