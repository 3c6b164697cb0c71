package io.crossjobs.jobapi.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.model.FieldError;
import io.crossjobs.jobapi.model.SubmitJobRequest;
import io.crossjobs.jobapi.service.InvalidInputException;
import io.crossjobs.jobapi.service.MalformedBodyException;
import io.crossjobs.jobapi.service.ParsedJob;
import io.crossjobs.jobapi.service.TaskFormat;
import io.crossjobs.jobapi.service.TaskSpecMapper;
import jakarta.validation.Validator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a submission (SkyPilot task YAML, several {@code ---} documents for a pipeline, or the same as JSON:
 * an object, or an array for a pipeline) with Jackson, checks it with Hibernate Validator and
 * {@link TaskSpecMapper}, and either returns the job or throws one {@link InvalidInputException} naming
 * every bad field. In a pipeline the fields are prefixed with the document's index: {@code doc[1].run}.
 * A pipeline's first document may hold only {@code name}, the job's name.
 */
public class TaskParser {
    private final ObjectMapper json;
    private final ObjectMapper yaml;
    private final Validator validator;

    public TaskParser(Validator validator) {
        this.validator = validator;
        this.json = configure(JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build());
        this.yaml = configure(YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build());
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        // num_nodes: 1.5 must be an error, not one node
        return mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public ParsedJob parse(String body, TaskFormat format) {
        Documents docs = documents(body, format);
        if (docs.nodes().isEmpty()) throw new InvalidInputException("body", "a task is required");
        List<FieldError> errors = new ArrayList<>();
        int first = 0;
        String jobName = null;
        if (docs.pipeline() && docs.nodes().size() > 1 && isHeader(docs.nodes().get(0))) {
            first = 1;
            JsonNode name = docs.nodes().get(0).get("name");
            jobName = name.isNull() ? null : name.asText();
            if (!name.isNull() && (!name.isTextual() || !jobName.matches(SubmitJobRequest.NAME_PATTERN))) {
                errors.add(new FieldError("doc[0].name", "must start with a letter, contain only letters, digits, "
                        + "'-', '_' or '.', end with a letter or digit, and be at most 63 characters"));
            }
        }
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = first; i < docs.nodes().size(); i++) {
            String prefix = docs.pipeline() ? "doc[" + i + "]" : "";
            SubmitJobRequest request = bind(docs.nodes().get(i), prefix, errors);
            if (request == null) continue;
            if (jobName == null && i == first) jobName = request.name();
            String taskName = request.name() != null ? request.name() : docs.pipeline() ? "task-" + (i - first) : null;
            tasks.add(TaskSpecMapper.toTaskSpec(request, taskName,
                    (field, message) -> errors.add(new FieldError(join(prefix, field), message))));
        }
        if (!errors.isEmpty()) throw new InvalidInputException(distinctByField(errors));
        return new ParsedJob(jobName, tasks);
    }

    private SubmitJobRequest bind(JsonNode doc, String prefix, List<FieldError> errors) {
        if (!doc.isObject()) {
            errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix, "must be a task (an object of fields)"));
            return null;
        }
        CollectingProblemHandler handler = new CollectingProblemHandler();
        ObjectReader reader = json.readerFor(SubmitJobRequest.class).withHandler(handler);
        SubmitJobRequest request;
        try {
            request = reader.readValue(doc);
        } catch (IOException e) {
            // the handler covers what Jackson lets it; anything else still names its field
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                    ? FieldErrors.path(m.getPath()) : "";
            errors.addAll(prefixed(prefix, handler.errors()));
            errors.add(new FieldError(join(prefix, field), "cannot be read: " + originalMessage(e)));
            return null;
        }
        errors.addAll(prefixed(prefix, handler.errors()));
        if (request == null) return null;
        errors.addAll(prefixed(prefix, FieldErrors.of(validator.validate(request))));
        return request;
    }

    private Documents documents(String body, TaskFormat format) {
        if (body == null || body.isBlank()) return new Documents(List.of(), false);
        try {
            if (format == TaskFormat.JSON) {
                JsonNode root = json.readTree(body);
                if (root == null || root.isMissingNode()) return new Documents(List.of(), false);
                if (root.isArray()) {
                    List<JsonNode> nodes = new ArrayList<>();
                    root.forEach(nodes::add);
                    return new Documents(nodes, true);
                }
                return new Documents(List.of(root), false);
            }
            List<JsonNode> nodes = new ArrayList<>();
            try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(body)) {
                while (it.hasNextValue()) {
                    JsonNode doc = it.nextValue();
                    // an empty document (a trailing "---") is not a task
                    if (doc != null && !doc.isNull() && !doc.isMissingNode()) nodes.add(doc);
                }
            }
            return new Documents(nodes, nodes.size() > 1);
        } catch (JsonProcessingException e) {
            throw new MalformedBodyException(format, originalMessage(e));
        } catch (IOException | RuntimeException e) {
            // SnakeYAML reports some syntax errors as runtime exceptions
            throw new MalformedBodyException(format, e.getMessage());
        }
    }

    private static boolean isHeader(JsonNode doc) {
        return doc.isObject() && doc.size() == 1 && doc.has("name");
    }

    private static List<FieldError> prefixed(String prefix, List<FieldError> errors) {
        return errors.stream().map(e -> new FieldError(join(prefix, e.field()), e.message())).toList();
    }

    private static String join(String prefix, String field) {
        if (prefix.isEmpty()) return field == null || field.isEmpty() ? "body" : field;
        if (field == null || field.isEmpty()) return prefix;
        return field.startsWith("[") ? prefix + field : prefix + "." + field;
    }

    /** One message per field: a value Jackson could not bind is not also reported as missing. */
    private static List<FieldError> distinctByField(List<FieldError> errors) {
        Set<String> seen = new LinkedHashSet<>();
        List<FieldError> result = new ArrayList<>();
        for (FieldError e : errors) {
            if (seen.add(e.field())) result.add(e);
        }
        result.sort(Comparator.comparing(FieldError::field));
        return result;
    }

    private static String originalMessage(Exception e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    private record Documents(List<JsonNode> nodes, boolean pipeline) { }
}
