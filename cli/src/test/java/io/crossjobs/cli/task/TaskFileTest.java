package io.crossjobs.cli.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.cli.CliException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TASK = """
            name: hello
            resources:
              cpus: 2+
            envs:
              A: from-file
              B: kept
            run: echo $A
            """;

    @Test
    void withoutOverridesTheFileGoesAsWritten() {
        TaskFile.Body body = TaskFile.parse(TASK, "t.yaml").body(Overrides.none());
        assertEquals("application/yaml", body.contentType());
        assertEquals(TASK, new String(body.bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void envOverridesReplaceTheFilesAndNameReplacesItsName() throws Exception {
        JsonNode sent = json(TaskFile.parse(TASK, "t.yaml").body(Overrides.none().withName("renamed")
                .withEnvs(ordered("A", "from-flag", "C", "new"))));
        assertEquals("renamed", sent.get("name").asText());
        assertEquals("from-flag", sent.at("/envs/A").asText());
        assertEquals("kept", sent.at("/envs/B").asText());
        assertEquals("new", sent.at("/envs/C").asText());
        assertEquals("2+", sent.at("/resources/cpus").asText());
    }

    @Test
    void aTaskWithoutEnvsGetsThem() throws Exception {
        JsonNode sent = json(TaskFile.parse("run: echo hi\n", "t.yaml").body(Overrides.none().withEnvs(Map.of("X", "1"))));
        assertEquals("1", sent.at("/envs/X").asText());
        assertEquals("echo hi", sent.get("run").asText());
    }

    @Test
    void aPipelineKeepsItsHeaderAndEveryTaskGetsTheEnvs() throws Exception {
        String pipeline = "name: pipe\n---\nname: a\nrun: echo a\n---\nname: b\nenvs:\n  X: old\nrun: echo b\n";
        TaskFile file = TaskFile.parse(pipeline, "p.yaml");
        assertTrue(file.isPipeline());
        JsonNode sent = json(file.body(Overrides.none().withName("renamed").withEnvs(Map.of("X", "new"))));
        assertEquals(3, sent.size());
        assertEquals("renamed", sent.get(0).get("name").asText());
        assertFalse(sent.get(0).has("envs"), "the header holds only the name");
        assertEquals("new", sent.get(1).at("/envs/X").asText());
        assertEquals("new", sent.get(2).at("/envs/X").asText());
        assertEquals("b", sent.get(2).get("name").asText());
    }

    @Test
    void aPipelineWithoutHeaderGetsOneForItsName() throws Exception {
        JsonNode sent = json(TaskFile.parse("run: echo a\n---\nrun: echo b\n", "p.yaml").body(Overrides.none().withName("pipe")));
        assertEquals(3, sent.size());
        assertEquals("pipe", sent.get(0).get("name").asText());
        assertEquals(1, sent.get(0).size());
        assertEquals("echo a", sent.get(1).get("run").asText());
    }

    @Test
    void secretsGoToEveryTaskOverTheFilesAndBesideItsEnvs() throws Exception {
        String pipeline = """
                name: pipe
                ---
                secrets:
                  HF_TOKEN: null
                  KEPT: from-file
                run: echo a
                ---
                envs:
                  X: "1"
                run: echo b
                """;
        TaskFile file = TaskFile.parse(pipeline, "p.yaml");
        Overrides flags = Overrides.none().withSecrets(Map.of("HF_TOKEN", "hf_abc"));
        assertEquals(List.of(), file.unsetValues(flags));

        JsonNode sent = json(file.body(flags));

        assertFalse(sent.get(0).has("secrets"), "the header holds only the name");
        assertEquals("{\"HF_TOKEN\":\"hf_abc\",\"KEPT\":\"from-file\"}", sent.get(1).get("secrets").toString());
        assertEquals("{\"HF_TOKEN\":\"hf_abc\"}", sent.get(2).get("secrets").toString());
        assertEquals("1", sent.get(2).at("/envs/X").asText(), "envs untouched");
        assertFalse(sent.get(1).has("envs"), "no --env: no envs added");
    }

    @Test
    void valuesLeftNullAndNamesInBothAreFoundBeforeSending() throws Exception {
        TaskFile task = TaskFile.parse("""
                envs:
                  WANDB_PROJECT:
                  MODE: ""
                secrets:
                  HF_TOKEN: null
                  API_KEY:
                run: train
                """, "t.yaml");

        assertEquals(List.of(
                "envs.WANDB_PROJECT: has no value: give it with --env WANDB_PROJECT=VALUE, or --env WANDB_PROJECT "
                        + "to take it from this shell",
                "secrets.HF_TOKEN: has no value: give it with --secret HF_TOKEN=VALUE, or --secret HF_TOKEN to take "
                        + "it from this shell",
                "secrets.API_KEY: has no value: give it with --secret API_KEY=VALUE, or --secret API_KEY to take it "
                        + "from this shell"), task.unsetValues(Overrides.none()));
        // an empty value is a value (job-api takes it); a secret given as an env does not fill the secret
        assertEquals(List.of("secrets.HF_TOKEN: has no value: give it with --secret HF_TOKEN=VALUE, or --secret "
                        + "HF_TOKEN to take it from this shell",
                "secrets.API_KEY: has no value: give it with --secret API_KEY=VALUE, or --secret API_KEY to take it "
                        + "from this shell",
                "secrets.API_KEY: is also defined in envs (a name is an env or a secret)"),
                task.unsetValues(Overrides.none().withEnvs(Map.of("WANDB_PROJECT", "p", "API_KEY", "k"))));
        assertEquals(List.of(), task.unsetValues(Overrides.none().withEnvs(Map.of("WANDB_PROJECT", "p"))
                .withSecrets(Map.of("HF_TOKEN", "h", "API_KEY", "k"))));
        // sent as JSON (--name), an empty value stays null: job-api refuses it as it refuses the file
        JsonNode sent = json(task.body(Overrides.none().withName("n")));
        assertTrue(sent.at("/envs/WANDB_PROJECT").isNull(), sent::toString);
        assertTrue(sent.at("/secrets/API_KEY").isNull(), sent::toString);
        assertEquals("", sent.at("/envs/MODE").asText());

        TaskFile pipeline = TaskFile.parse("name: p\n---\nrun: a\n---\nsecrets:\n  S:\nrun: b\n", "p.yaml");
        assertEquals(List.of("doc[2].secrets.S: has no value: give it with --secret S=VALUE, or --secret S to take it "
                + "from this shell"), pipeline.unsetValues(Overrides.none()));
    }

    @Test
    void badFilesAreRefusedWithWhereAndWhy() {
        assertTrue(assertThrows(CliException.class, () -> TaskFile.parse("run: [a\n", "bad.yaml"))
                .getMessage().startsWith("bad.yaml is not valid YAML (line "));
        assertTrue(assertThrows(CliException.class, () -> TaskFile.parse("run: a\nrun: b\n", "dup.yaml"))
                .getMessage().contains("Duplicate field 'run'"));
        assertEquals("list.yaml: document 0 is not a task (a YAML mapping with run, resources, ...)",
                assertThrows(CliException.class, () -> TaskFile.parse("- a\n- b\n", "list.yaml")).getMessage());
        assertEquals("empty.yaml holds no task",
                assertThrows(CliException.class, () -> TaskFile.parse("# nothing\n", "empty.yaml")).getMessage());
        assertTrue(assertThrows(CliException.class, () -> TaskFile.read(Path.of("does/not/exist.yaml")))
                .getMessage().endsWith("does not exist"));
    }

    private static final String MOUNTS = """
            workdir: ./src
            file_mounts:
              /data: ~/datasets/small
              ~/.vimrc: ~/.vimrc
              /s3: s3://bucket/prefix
              /gcs: gs://bucket
              /blob: https://acct.blob.core.windows.net/container/dir
              /stored-local:
                name: my-bucket
                source: ../shared
                mode: COPY
              /stored-bucket:
                source: s3://other/x
                mode: MOUNT
              /stored-new:
                name: outputs
                store: s3
                mode: MOUNT
              /already: {archive: "sha256:00"}
            run: ls
            """;

    @Test
    void localSourcesAreTheWorkdirAndTheMountsThatNameLocalPaths() {
        List<LocalSource> sources = TaskFile.parse(MOUNTS, "t.yaml").localSources();

        assertEquals(List.of(
                new LocalSource(0, null, "./src", false),
                new LocalSource(0, "/data", "~/datasets/small", false),
                new LocalSource(0, "~/.vimrc", "~/.vimrc", false),
                new LocalSource(0, "/stored-local", "../shared", false)), sources);
        assertEquals(List.of("workdir", "file_mounts./data", "file_mounts.~/.vimrc", "file_mounts./stored-local"),
                sources.stream().map(LocalSource::field).toList());
    }

    @Test
    void pathsResolveAgainstTheCurrentFolderAndTildeIsTheHome() {
        Path cwd = Path.of("/work/project");
        Path home = Path.of("/home/dora");
        assertEquals(Path.of("/work/project/src"), new LocalSource(0, null, "./src", false).resolve(cwd, home));
        assertEquals(Path.of("/work/shared"), new LocalSource(0, "/x", "../shared", false).resolve(cwd, home));
        assertEquals(Path.of("/home/dora/datasets"), new LocalSource(0, "/x", "~/datasets", false).resolve(cwd, home));
        assertEquals(home, new LocalSource(0, "/x", "~", false).resolve(cwd, home));
        assertEquals(Path.of("/abs/dir"), new LocalSource(0, "/x", "/abs/dir", false).resolve(cwd, home));
    }

    @Test
    void eachLocalSourceIsReplacedByWhatItWasUploadedAsAndTheRestIsLeftAsWritten() throws Exception {
        TaskFile file = TaskFile.parse(MOUNTS, "t.yaml");
        List<LocalSource> sources = file.localSources();
        Map<LocalSource, SourceRef> uploaded = new LinkedHashMap<>();
        uploaded.put(sources.get(0), new SourceRef("archive", "sha256:aa"));
        uploaded.put(sources.get(1), new SourceRef("archive", "sha256:bb"));
        uploaded.put(sources.get(2), new SourceRef("file", "sha256:cc"));
        uploaded.put(sources.get(3), new SourceRef("file", "sha256:dd"));

        JsonNode sent = json(file.body(Overrides.none(), uploaded));

        assertEquals(JSON.readTree("""
                {"workdir": {"archive": "sha256:aa"},
                 "file_mounts": {
                   "/data": {"archive": "sha256:bb"},
                   "~/.vimrc": {"file": "sha256:cc"},
                   "/s3": "s3://bucket/prefix",
                   "/gcs": "gs://bucket",
                   "/blob": "https://acct.blob.core.windows.net/container/dir",
                   "/stored-local": {"file": "sha256:dd"},
                   "/stored-bucket": {"source": "s3://other/x", "mode": "MOUNT"},
                   "/stored-new": {"name": "outputs", "store": "s3", "mode": "MOUNT"},
                   "/already": {"archive": "sha256:00"}},
                 "run": "ls"}"""), sent);
    }

    @Test
    void aPipelinesSourcesAreFoundAndReplacedInTheirOwnTask() throws Exception {
        TaskFile file = TaskFile.parse("name: pipe\n---\nworkdir: .\nrun: a\n---\nfile_mounts:\n  /m: ./data\nrun: b\n",
                "p.yaml");
        List<LocalSource> sources = file.localSources();
        assertEquals(List.of("doc[1].workdir", "doc[2].file_mounts./m"), sources.stream().map(LocalSource::field).toList());

        JsonNode sent = json(file.body(Overrides.none(), Map.of(
                sources.get(0), new SourceRef("archive", "sha256:11"),
                sources.get(1), new SourceRef("archive", "sha256:22"))));

        assertEquals("pipe", sent.get(0).get("name").asText());
        assertEquals("sha256:11", sent.at("/1/workdir/archive").asText());
        assertEquals("sha256:22", sent.at("/2/file_mounts/~1m/archive").asText());
    }

    @Test
    void aStorageObjectWithAListOfSourcesIsRefused() {
        CliException e = assertThrows(CliException.class, () -> TaskFile.parse(
                "file_mounts:\n  /m:\n    source: [./a, ./b]\nrun: x\n", "t.yaml").localSources());
        assertEquals("file_mounts./m.source: a list of sources is not supported; name one local folder or file, "
                + "or a bucket URI", e.getMessage());
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static JsonNode json(TaskFile.Body body) throws Exception {
        assertEquals("application/json", body.contentType());
        return JSON.readTree(body.bytes());
    }
}
