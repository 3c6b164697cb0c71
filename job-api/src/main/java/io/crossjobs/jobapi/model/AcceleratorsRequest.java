package io.crossjobs.jobapi.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.util.List;

/**
 * SkyPilot's {@code accelerators} in any of its spellings: {@code "A100:8"}, a list (a preference order), or
 * a map/set ({@code {A100: 8, V100: 8}} or {@code {A100:8, V100:8}}: any of them, cheapest first).
 * Each entry is {@code NAME} or {@code NAME:COUNT}.
 */
@JsonDeserialize(using = AcceleratorsDeserializer.class)
public record AcceleratorsRequest(List<String> names, boolean inOrder) {
    public static final String PATTERN = "[A-Za-z0-9][-_.A-Za-z0-9]*(:[0-9]*\\.?[0-9]+)?";

    public AcceleratorsRequest {
        names = List.copyOf(names);
    }
}
