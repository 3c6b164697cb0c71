package io.crossjobs.controller.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.catalog.BlockedScope;
import io.crossjobs.events.TaskSpec;

import java.util.List;

/** The JSON text columns of managed_job (task spec, blocklist). */
final class JsonColumns {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final TypeReference<List<BlockedScope>> BLOCKLIST = new TypeReference<>() { };

    static String taskSpec(TaskSpec task) { return write(task); }

    static TaskSpec taskSpec(String json) { return read(json, TaskSpec.class); }

    private static final TypeReference<List<TaskSpec>> TASKS = new TypeReference<>() { };

    static String tasks(List<TaskSpec> tasks) { return write(tasks); }

    /** A job's tasks from its {@code tasks} column, or from {@code task_spec} for a row written before pipelines. */
    static List<TaskSpec> tasks(String tasksJson, String taskSpecJson) {
        if (tasksJson != null) return tasks(tasksJson);
        TaskSpec only = taskSpec(taskSpecJson);
        return only == null ? List.of() : List.of(only);
    }

    static List<TaskSpec> tasks(String json) {
        try {
            return MAPPER.readValue(json, TASKS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable tasks column: " + e.getOriginalMessage(), e);
        }
    }

    static String blocklist(List<BlockedScope> blocklist) { return write(blocklist); }

    static List<BlockedScope> blocklist(String json) {
        if (json == null || json.isBlank()) return List.of();
        try {
            return MAPPER.readValue(json, BLOCKLIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable blocklist column: " + e.getOriginalMessage(), e);
        }
    }

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    /** A list of strings (instance ids); an empty one is stored as null. */
    static String strings(List<String> values) { return values.isEmpty() ? null : write(values); }

    static List<String> strings(String json) {
        if (json == null || json.isBlank()) return List.of();
        try {
            return MAPPER.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable list column: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return json == null ? null : MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + " column: " + e.getOriginalMessage(), e);
        }
    }

    private JsonColumns() { }
}
