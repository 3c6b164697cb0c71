package io.crossjobs.cli.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.cli.CliException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
        TaskFile.Body body = TaskFile.parse(TASK, "t.yaml").body(Optional.empty(), Map.of());
        assertEquals("application/yaml", body.contentType());
        assertEquals(TASK, new String(body.bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void envOverridesReplaceTheFilesAndNameReplacesItsName() throws Exception {
        JsonNode sent = json(TaskFile.parse(TASK, "t.yaml").body(Optional.of("renamed"), ordered("A", "from-flag", "C", "new")));
        assertEquals("renamed", sent.get("name").asText());
        assertEquals("from-flag", sent.at("/envs/A").asText());
        assertEquals("kept", sent.at("/envs/B").asText());
        assertEquals("new", sent.at("/envs/C").asText());
        assertEquals("2+", sent.at("/resources/cpus").asText());
    }

    @Test
    void aTaskWithoutEnvsGetsThem() throws Exception {
        JsonNode sent = json(TaskFile.parse("run: echo hi\n", "t.yaml").body(Optional.empty(), Map.of("X", "1")));
        assertEquals("1", sent.at("/envs/X").asText());
        assertEquals("echo hi", sent.get("run").asText());
    }

    @Test
    void aPipelineKeepsItsHeaderAndEveryTaskGetsTheEnvs() throws Exception {
        String pipeline = "name: pipe\n---\nname: a\nrun: echo a\n---\nname: b\nenvs:\n  X: old\nrun: echo b\n";
        TaskFile file = TaskFile.parse(pipeline, "p.yaml");
        assertTrue(file.isPipeline());
        JsonNode sent = json(file.body(Optional.of("renamed"), Map.of("X", "new")));
        assertEquals(3, sent.size());
        assertEquals("renamed", sent.get(0).get("name").asText());
        assertFalse(sent.get(0).has("envs"), "the header holds only the name");
        assertEquals("new", sent.get(1).at("/envs/X").asText());
        assertEquals("new", sent.get(2).at("/envs/X").asText());
        assertEquals("b", sent.get(2).get("name").asText());
    }

    @Test
    void aPipelineWithoutHeaderGetsOneForItsName() throws Exception {
        JsonNode sent = json(TaskFile.parse("run: echo a\n---\nrun: echo b\n", "p.yaml").body(Optional.of("pipe"), Map.of()));
        assertEquals(3, sent.size());
        assertEquals("pipe", sent.get(0).get("name").asText());
        assertEquals(1, sent.get(0).size());
        assertEquals("echo a", sent.get(1).get("run").asText());
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
