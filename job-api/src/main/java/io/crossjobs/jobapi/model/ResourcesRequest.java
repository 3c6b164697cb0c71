package io.crossjobs.jobapi.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.util.List;

/**
 * SkyPilot's {@code resources}; every field may be null, meaning "any" (or, inside {@code any_of}/{@code
 * ordered}, "as the enclosing resources say"). Fields crossjobs cannot honour yet are bound as raw values
 * so that {@link io.crossjobs.jobapi.service.TaskSpecMapper} can reject them by name instead of failing on
 * their type. {@code cloud} and {@code infra} are checked there too (a non-cloud infra is "not supported yet",
 * not a typo).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ResourcesRequest(
        String infra,

        String cloud,

        @Pattern(regexp = "[a-z0-9*][-a-z0-9]{0,63}", message = "must be a region name such as us-east-1")
        String region,

        @Pattern(regexp = "[a-z0-9*][-a-z0-9]{0,63}", message = "must be a zone name such as us-east-1a")
        String zone,

        @Pattern(regexp = "[A-Za-z0-9][-_.A-Za-z0-9]{0,63}", message = "must be an instance type such as m6i.large")
        String instanceType,

        @Pattern(regexp = COUNT_PATTERN, message = "must be N or N+ (e.g. \"2\", \"2+\", \"0.5\")")
        String cpus,

        @Pattern(regexp = COUNT_PATTERN, message = "must be N or N+ in GB (e.g. \"8\", \"8+\")")
        String memory,

        AcceleratorsRequest accelerators,

        Boolean useSpot,

        @Min(value = 1, message = "must be at least 1 (GB)")
        @Max(value = 65536, message = "must be at most 65536 (GB)")
        Integer diskSize,

        String diskTier,

        JsonNode imageId,

        JsonNode ports,

        JsonNode labels,

        List<@Valid ResourcesRequest> anyOf,

        List<@Valid ResourcesRequest> ordered,

        @Valid
        JobRecoveryRequest jobRecovery) {

    public static final String COUNT_PATTERN = "([0-9]+|[0-9]*\\.[0-9]+)\\+?";
}
