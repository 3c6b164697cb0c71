package io.crossjobs.jobapi.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import io.crossjobs.jobapi.model.FieldError;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Lets Jackson go on binding after a bad field (unknown name, wrong type, bad value), noting each one with
 * its path, so that one answer lists every problem of the body instead of only the first.
 */
final class CollectingProblemHandler extends DeserializationProblemHandler {
    /** SkyPilot task fields crossjobs does not implement: named as such, not as typos. */
    private static final java.util.Set<String> SKYPILOT_NOT_YET = java.util.Set.of("event_callback", "service",
            "config", "volumes", "inputs", "outputs", "experimental", "autostop", "network_tier",
            "accelerator_args", "cluster_config_overrides", "_docker_login_config", "_cluster_config_overrides");

    private final List<FieldError> errors = new ArrayList<>();

    List<FieldError> errors() { return errors; }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                         Object beanOrClass, String propertyName) throws IOException {
        Collection<Object> known = deserializer == null ? null : deserializer.getKnownPropertyNames();
        String list = known == null || known.isEmpty() ? "" : "; known fields: " + known.stream()
                .map(String::valueOf).sorted().collect(Collectors.joining(", "));
        String path = path(p);
        String message = SKYPILOT_NOT_YET.contains(propertyName)
                ? "is not supported yet by crossjobs" : "unknown field" + list;
        errors.add(new FieldError(path.isEmpty() ? propertyName : path, message));
        p.skipChildren();
        return true;
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String value,
                                         String failureMsg) {
        // our own deserializers pass a sentence saying what is expected
        String message = targetType == String.class ? "'" + value + "' " + failureMsg
                : "'" + value + "' is not " + describe(targetType);
        errors.add(new FieldError(path(ctxt.getParser()), message));
        return null;
    }

    @Override
    public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number value,
                                         String failureMsg) {
        errors.add(new FieldError(path(ctxt.getParser()), "'" + value + "' is not " + describe(targetType)));
        return null;
    }

    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
                                        String failureMsg) throws IOException {
        errors.add(new FieldError(path(p), "must be " + describe(targetType.getRawClass())));
        p.skipChildren();
        return null;
    }

    @Override
    public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
                                            ValueInstantiator valueInsta, JsonParser p, String msg) throws IOException {
        errors.add(new FieldError(path(p), "must be " + describe(instClass)));
        p.skipChildren();
        return null;
    }

    @Override
    public Object handleInstantiationProblem(DeserializationContext ctxt, Class<?> instClass, Object argument,
                                             Throwable t) {
        errors.add(new FieldError(path(ctxt.getParser()), "must be " + describe(instClass)));
        return null;
    }

    /** The path of the value the parser is at, as the client wrote it: {@code resources.any_of[1].cpus}. */
    static String path(JsonParser p) {
        JsonStreamContext ctx = p.getParsingContext();
        // at the start of a structured value the parser may already be inside it
        if ((p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY)
                && ctx.getParent() != null && ctx.getCurrentName() == null && !ctx.hasCurrentIndex()) {
            ctx = ctx.getParent();
        }
        Deque<String> parts = new ArrayDeque<>();
        for (; ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
            if (ctx.inArray() && ctx.hasCurrentIndex()) parts.addFirst("[" + ctx.getCurrentIndex() + "]");
            else if (ctx.inObject() && ctx.getCurrentName() != null) parts.addFirst("." + ctx.getCurrentName());
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    static String describe(Class<?> type) {
        if (type == null) return "of another type";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "an integer";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (Collection.class.isAssignableFrom(type)) return "a list";
        if (Map.class.isAssignableFrom(type)) return "a map of names to values";
        if (type.isRecord()) return "an object";
        return "a " + type.getSimpleName();
    }
}
