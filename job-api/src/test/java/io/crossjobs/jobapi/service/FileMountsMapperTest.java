package io.crossjobs.jobapi.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.crossjobs.events.FileMount;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileMountsMapperTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    private final Map<String, String> errors = new LinkedHashMap<>();

    private List<FileMount> map(String yaml) throws Exception {
        JsonNode task = YAML.readTree(yaml);
        return FileMountsMapper.map(task.get("workdir"), task.get("file_mounts"), errors::put);
    }

    @Test
    void everyFormCrossjobsCopiesBecomesAMount() throws Exception {
        List<FileMount> mounts = map("""
                workdir: {archive: "%s"}
                file_mounts:
                  ~/code: {archive: "%s"}
                  /etc/app.yaml: {file: "%s"}
                  ~/s3: s3://my-bucket/data
                  ~/gcs: gs://my-bucket
                  ~/blob: https://myaccount.blob.core.windows.net/container/folder
                  ~/copy: {source: gs://other/x, mode: COPY}
                  ~/named: {name: existing, store: s3, mode: copy}
                """.formatted(A, B, A));
        assertEquals(Map.of(), errors);
        assertEquals(List.of(
                new FileMount(FileMount.WORKDIR, FileMount.Source.ARCHIVE, A, 0),
                new FileMount("~/code", FileMount.Source.ARCHIVE, B, 0),
                new FileMount("/etc/app.yaml", FileMount.Source.FILE, A, 0),
                new FileMount("~/s3", FileMount.Source.BUCKET, "s3://my-bucket/data", 0),
                new FileMount("~/gcs", FileMount.Source.BUCKET, "gs://my-bucket", 0),
                new FileMount("~/blob", FileMount.Source.BUCKET,
                        "https://myaccount.blob.core.windows.net/container/folder", 0),
                new FileMount("~/copy", FileMount.Source.BUCKET, "gs://other/x", 0),
                new FileMount("~/named", FileMount.Source.BUCKET, "s3://existing", 0)), mounts);
    }

    @Test
    void whatCrossjobsCannotDoIsRefusedByName() throws Exception {
        map("""
                workdir: .
                file_mounts:
                  ~/local: ./data
                  ~/mounted: {source: s3://b, mode: MOUNT}
                  ~/default-mode: {name: b, store: s3}
                  ~/cached: {source: s3://b, mode: MOUNT_CACHED}
                  ~/r2: r2://bucket
                  ~/bad-digest: {archive: "sha256:ABC"}
                  ~/sky_workdir: s3://b
                  ~/odd: {name: b, store: r2, mode: COPY}
                  ~/typo: {sorce: s3://b, mode: COPY}
                """);
        assertTrue(errors.get("workdir").contains("is a local path: upload it first"), errors.toString());
        assertTrue(errors.get("file_mounts.~/local").contains("'./data' is a local path"), errors.toString());
        assertTrue(errors.get("file_mounts.~/mounted.mode").contains("'MOUNT' is not supported"), errors.toString());
        assertTrue(errors.get("file_mounts.~/default-mode.mode").contains("set mode: COPY"), errors.toString());
        assertTrue(errors.get("file_mounts.~/cached.mode").contains("MOUNT_CACHED"), errors.toString());
        assertTrue(errors.get("file_mounts.~/r2").contains("not a bucket crossjobs can copy from"), errors.toString());
        assertTrue(errors.get("file_mounts.~/bad-digest.archive").contains("64 lowercase hex"), errors.toString());
        assertTrue(errors.get("file_mounts.~/sky_workdir").contains("where the workdir goes"), errors.toString());
        assertTrue(errors.get("file_mounts.~/odd.store").contains("'r2'"), errors.toString());
        assertTrue(errors.get("file_mounts.~/typo.sorce").contains("not a field of a storage object"),
                errors.toString());
        assertEquals(10, errors.size(), errors.toString());
    }
}
