package io.crossjobs.jobapi.rest;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.crossjobs.jobapi.model.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Names invalid input the way the client wrote it: {@code resources.instance_type}, {@code envs.MY_VAR},
 * {@code resources.accelerators[1]}, or a query parameter such as {@code limit}.
 */
public final class FieldErrors {
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /** Bean validation of a resource method's parameters (the JSON body or query parameters). */
    public static List<FieldError> of(Collection<? extends ConstraintViolation<?>> violations) {
        return violations.stream()
                .map(v -> new FieldError(field(v.getPropertyPath()), v.getMessage()))
                .distinct()
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                .toList();
    }

    /** Jackson could not bind the body: an unknown field, a wrong type, or a bad value. */
    public static FieldError of(MismatchedInputException e) {
        String field = path(e.getPath());
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : "; known fields: " + u.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return new FieldError(field, "unknown field" + known);
        }
        String expected = describe(e.getTargetType());
        if (e instanceof InvalidFormatException f) {
            return new FieldError(field, "'" + f.getValue() + "' is not " + expected);
        }
        return new FieldError(field.isEmpty() ? "body" : field, "must be " + expected);
    }

    /** A violation of our own response: a server bug, not the client's input. */
    public static boolean isReturnValueViolation(Collection<? extends ConstraintViolation<?>> violations) {
        for (ConstraintViolation<?> v : violations) {
            for (Path.Node node : v.getPropertyPath()) {
                if (node.getKind() == ElementKind.RETURN_VALUE) return true;
            }
        }
        return false;
    }

    static String field(Path path) {
        List<Path.Node> nodes = new ArrayList<>();
        path.forEach(nodes::add);
        StringBuilder field = new StringBuilder();
        for (Iterator<Path.Node> it = nodes.iterator(); it.hasNext(); ) {
            Path.Node node = it.next();
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR) continue;
            // the body parameter itself is not part of the client's path; a query parameter is the whole path
            if (kind == ElementKind.PARAMETER && it.hasNext()) continue;
            if (kind == ElementKind.CONTAINER_ELEMENT) {
                appendContainerPosition(field, node);
                continue;
            }
            if (node.getName() == null) continue;
            // a bean inside a list (any_of[1].cpus): the position belongs to the container, before the name
            if (node.isInIterable()) appendContainerPosition(field, node);
            if (!field.isEmpty()) field.append('.');
            field.append(kind == ElementKind.PARAMETER ? node.getName() : SNAKE.translate(node.getName()));
        }
        return field.toString();
    }

    /** The map key or list index the violation is about, if the node is inside a container. */
    private static void appendContainerPosition(StringBuilder field, Path.Node node) {
        if (node.getIndex() != null) field.append('[').append(node.getIndex()).append(']');
        else if (node.getKey() != null) field.append('.').append(node.getKey());
    }

    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (!field.isEmpty()) field.append('.');
                field.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) return "of another type";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "an integer";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (Collection.class.isAssignableFrom(type)) return "a list";
        if (Map.class.isAssignableFrom(type)) return "an object of string values";
        if (type.isRecord()) return "an object";
        return "a " + type.getSimpleName();
    }

    private FieldErrors() { }
}
