package io.crossjobs.jobapi.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.List;

/** SkyPilot's {@code resources}; every field may be null, meaning "any". */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ResourcesRequest(
        @Pattern(regexp = "(?i)aws|gcp|azure", message = "must be one of aws, gcp, azure")
        String cloud,

        @Pattern(regexp = "[a-z0-9][-a-z0-9]{0,63}", message = "must be a region name such as us-east-1")
        String region,

        @Pattern(regexp = "[a-z0-9][-a-z0-9]{0,63}", message = "must be a zone name such as us-east-1a")
        String zone,

        @Pattern(regexp = "[A-Za-z0-9][-_.A-Za-z0-9]{0,63}", message = "must be an instance type such as m6i.large")
        String instanceType,

        @Pattern(regexp = COUNT_PATTERN, message = "must be N or N+ (e.g. \"2\", \"2+\", \"0.5\")")
        String cpus,

        @Pattern(regexp = COUNT_PATTERN, message = "must be N or N+ in GB (e.g. \"8\", \"8+\")")
        String memory,

        // SkyPilot accepts a single "V100:2" as well as a list of alternatives
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<@NotNull @Pattern(regexp = "[A-Za-z0-9][-_A-Za-z0-9]*(:[1-9][0-9]*)?",
                message = "must be NAME or NAME:COUNT, e.g. \"V100:2\"") String> accelerators,

        Boolean useSpot,

        @Min(value = 1, message = "must be at least 1 (GB)")
        @Max(value = 65536, message = "must be at most 65536 (GB)")
        Integer diskSize) {

    public static final String COUNT_PATTERN = "([0-9]+|[0-9]*\\.[0-9]+)\\+?";
}
