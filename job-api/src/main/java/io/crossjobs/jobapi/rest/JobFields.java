package io.crossjobs.jobapi.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crossjobs.jobapi.model.JobView;
import io.crossjobs.jobapi.service.InvalidInputException;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /jobs?fields=id,status,name}: the fields of each listed job to answer with, so a queue that shows a few
 * columns does not carry every job's whole view. Any field of the job view may be named.
 */
final class JobFields {
    static final Set<String> KNOWN = Arrays.stream(JobView.class.getRecordComponents()).map(RecordComponent::getName)
            .collect(java.util.stream.Collectors.toCollection(TreeSet::new));

    private final Set<String> wanted;

    private JobFields(Set<String> wanted) {
        this.wanted = wanted;
    }

    /** Null when the parameter is absent (every field); 400 naming {@code fields} for a name the view has not. */
    static JobFields parse(String fields) {
        if (fields == null) return null;
        Set<String> wanted = new LinkedHashSet<>();
        for (String f : fields.split(",")) {
            String name = f.strip();
            if (name.isEmpty()) continue;
            if (!KNOWN.contains(name)) {
                throw new InvalidInputException("fields", "unknown field '" + name + "'; known fields: "
                        + String.join(", ", KNOWN));
            }
            wanted.add(name);
        }
        if (wanted.isEmpty()) throw new InvalidInputException("fields", "names no field; known fields: "
                + String.join(", ", KNOWN));
        return new JobFields(wanted);
    }

    /** The job's view with only the wanted fields, in the view's order. */
    ObjectNode select(ObjectMapper json, JobView job) {
        ObjectNode all = json.valueToTree(job);
        all.retain(wanted);
        return all;
    }

    /** A page whose jobs carry the wanted fields only. */
    record Page(List<ObjectNode> items, String nextCursor) { }
}
