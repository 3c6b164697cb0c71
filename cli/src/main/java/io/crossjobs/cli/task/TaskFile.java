package io.crossjobs.cli.task;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.crossjobs.cli.CliException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A SkyPilot task file (one YAML document = a task, several {@code ---} documents = a pipeline) with the
 * launch's {@code --name}, {@code --env} and {@code --secret} applied, ready to POST. Without overrides the file goes to
 * job-api as written, so its answers name fields exactly as in the file; with overrides it goes as the
 * equivalent JSON (job-api reads both the same way).
 */
public final class TaskFile {
    // an empty value (HF_TOKEN: with nothing after it) is null, as job-api's YAMLMapper.builder() reads it; a factory
    // from YAMLFactory.builder() would read it as "" and send a value the user never gave
    private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String text;
    private final List<ObjectNode> documents;

    private TaskFile(String text, List<ObjectNode> documents) {
        this.text = text;
        this.documents = documents;
    }

    public static TaskFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException("task file " + file + " does not exist");
        } catch (IOException e) {
            throw new CliException("cannot read task file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    static TaskFile parse(String text, String name) {
        List<ObjectNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            int index = 0;
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                // an empty document (a trailing ---) is no task
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    index++;
                    continue;
                }
                if (!doc.isObject()) {
                    throw new CliException(name + ": document " + index + " is not a task (a YAML mapping with run, resources, ...)");
                }
                docs.add((ObjectNode) doc);
                index++;
            }
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw new CliException(name + " is not valid YAML" + (at == null ? "" : " (line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ")") + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CliException("cannot read task file " + name + ": " + e.getMessage());
        }
        if (docs.isEmpty()) throw new CliException(name + " holds no task");
        return new TaskFile(text, docs);
    }

    public boolean isPipeline() { return documents.size() > 1; }

    /**
     * The local folders and files the tasks name, in document order: each task's {@code workdir} when it is a path,
     * and each {@code file_mounts} value that is a path or a storage object whose {@code source} is one. Bucket URIs
     * ({@code s3://...}, any {@code scheme://}), storage objects without a local source and values already naming an
     * upload ({@code {archive: ...}}, {@code {file: ...}}) are left to job-api.
     */
    public List<LocalSource> localSources() {
        List<LocalSource> sources = new ArrayList<>();
        boolean pipeline = documents.size() > 1;
        for (int index = 0; index < documents.size(); index++) {
            int i = index;
            ObjectNode doc = documents.get(i);
            JsonNode workdir = doc.get("workdir");
            if (workdir != null && workdir.isTextual()) sources.add(new LocalSource(i, null, workdir.asText(), pipeline));
            JsonNode mounts = doc.get("file_mounts");
            if (mounts == null || !mounts.isObject()) continue;
            var fields = mounts.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> mount = fields.next();
                localPath(mount.getValue(), pipeline ? "doc[" + i + "].file_mounts." + mount.getKey()
                        : "file_mounts." + mount.getKey())
                        .ifPresent(path -> sources.add(new LocalSource(i, mount.getKey(), path, pipeline)));
            }
        }
        return sources;
    }

    /** The local path a file mount's value names, if it names one. */
    private static Optional<String> localPath(JsonNode value, String field) {
        if (value.isTextual()) return isUri(value.asText()) ? Optional.empty() : Optional.of(value.asText());
        if (!value.isObject() || value.has("archive") || value.has("file")) return Optional.empty();
        JsonNode source = value.get("source");
        if (source == null || source.isNull()) return Optional.empty();
        if (source.isArray()) {
            throw new CliException(field + ".source: a list of sources is not supported; name one local folder or "
                    + "file, or a bucket URI");
        }
        if (source.isTextual() && !isUri(source.asText())) return Optional.of(source.asText());
        return Optional.empty();
    }

    /** {@code scheme://...}: a bucket or other URI, never a local path. */
    private static boolean isUri(String value) {
        return value.matches("[A-Za-z][A-Za-z0-9+.-]*://.*");
    }

    /** The body to POST: the file as written, or JSON with the overrides applied. */
    public Body body(Overrides overrides) {
        return body(overrides, Map.of());
    }

    /**
     * The body to POST: the file as written, or JSON with the overrides applied and each local source replaced by
     * what it was uploaded as ({@code workdir: {archive: ...}}, {@code file_mounts: {/x: {archive|file: ...}}}).
     */
    public Body body(Overrides overrides, Map<LocalSource, SourceRef> uploaded) {
        if (overrides.isEmpty() && uploaded.isEmpty()) {
            return new Body(text.getBytes(StandardCharsets.UTF_8), "application/yaml");
        }
        List<ObjectNode> docs = documents.stream().map(ObjectNode::deepCopy).toList();
        uploaded.forEach((source, ref) -> {
            ObjectNode task = docs.get(source.document());
            ObjectNode reference = JSON.createObjectNode().put(ref.field(), ref.digest());
            if (source.isWorkdir()) task.set("workdir", reference);
            else ((ObjectNode) task.get("file_mounts")).set(source.remote(), reference);
        });
        // like SkyPilot's --env and --secret: every task of the file gets the value, replacing its own
        for (ObjectNode task : tasks(docs)) {
            put(task, "envs", overrides.envs());
            put(task, "secrets", overrides.secrets());
        }
        List<ObjectNode> out = new ArrayList<>(docs);
        if (overrides.name().isPresent()) {
            String jobName = overrides.name().get();
            if (docs.size() == 1 || isHeader(docs.get(0))) {
                docs.get(0).put("name", jobName);
            } else {
                out.add(0, JSON.createObjectNode().put("name", jobName));
            }
        }
        try {
            JsonNode payload = out.size() == 1 ? out.get(0) : JSON.createArrayNode().addAll(out);
            return new Body(JSON.writeValueAsBytes(payload), "application/json");
        } catch (IOException e) {
            throw new CliException("cannot write the task as JSON: " + e.getMessage());
        }
    }

    /**
     * What job-api would refuse in the tasks' {@code envs} and {@code secrets} once the overrides are applied: a name
     * without a value ({@code HF_TOKEN:} with nothing after it, SkyPilot's way of asking for it at launch) and a name
     * in both. Each as {@code field: message}, the field named as job-api names it ({@code doc[1].secrets.X} in a
     * pipeline).
     */
    public List<String> unsetValues(Overrides overrides) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            ObjectNode task = documents.get(i);
            if (i == 0 && isPipeline() && isHeader(task)) continue;
            String prefix = isPipeline() ? "doc[" + i + "]." : "";
            Map<String, Boolean> envs = valuesSet(task.get("envs"), overrides.envs());
            Map<String, Boolean> secrets = valuesSet(task.get("secrets"), overrides.secrets());
            envs.forEach((name, set) -> {
                if (!set) problems.add(prefix + "envs." + name + ": has no value: give it with --env " + name
                        + "=VALUE, or --env " + name + " to take it from this shell");
            });
            secrets.forEach((name, set) -> {
                if (!set) problems.add(prefix + "secrets." + name + ": has no value: give it with --secret " + name
                        + "=VALUE, or --secret " + name + " to take it from this shell");
            });
            secrets.keySet().stream().filter(envs::containsKey).sorted().forEach(name ->
                    problems.add(prefix + "secrets." + name + ": is also defined in envs (a name is an env or a secret)"));
        }
        return problems;
    }

    /** Each name of the file's map ({@code envs} or {@code secrets}) and the flags', with whether it has a value. */
    private static Map<String, Boolean> valuesSet(JsonNode inFile, Map<String, String> fromFlags) {
        Map<String, Boolean> names = new LinkedHashMap<>();
        if (inFile != null && inFile.isObject()) {
            inFile.fields().forEachRemaining(e -> names.put(e.getKey(), !e.getValue().isNull()));
        }
        fromFlags.keySet().forEach(name -> names.put(name, true));
        return names;
    }

    private static void put(ObjectNode task, String field, Map<String, String> values) {
        if (values.isEmpty()) return;
        JsonNode existing = task.get(field);
        ObjectNode target = existing instanceof ObjectNode o ? o : task.putObject(field);
        values.forEach(target::put);
    }

    /** The documents that are tasks: all but a pipeline's header. */
    private static List<ObjectNode> tasks(List<ObjectNode> docs) {
        return docs.size() > 1 && isHeader(docs.get(0)) ? docs.subList(1, docs.size()) : docs;
    }

    /** A pipeline's first document may hold only the job's name. */
    private static boolean isHeader(ObjectNode doc) {
        var names = doc.fieldNames();
        while (names.hasNext()) if (!names.next().equals("name")) return false;
        return true;
    }

    public record Body(byte[] bytes, String contentType) { }
}
