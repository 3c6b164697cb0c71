package io.crossjobs.jobapi.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import java.util.List;
import java.util.Map;

/**
 * SkyPilot's {@code resources} (the forms of {@code get_resources_schema} in SkyPilot's sky/utils/schemas.py);
 * every field may be null, meaning "any" (or, inside {@code any_of}/{@code
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

        @Pattern(regexp = MEMORY_PATTERN, message = "must be N or N+ in GB, or N with a unit KB, MB, GB, TB or PB "
                + "(e.g. \"8\", \"8+\", \"1024MB\", \"64GB+\")")
        String memory,

        AcceleratorsRequest accelerators,

        Boolean useSpot,

        @Pattern(regexp = DISK_SIZE_PATTERN, message = "must be a whole number of GB, or one with a unit KB, MB, GB, "
                + "TB or PB (e.g. 256, \"256GB\", \"1TB\")")
        String diskSize,

        String diskTier,

        JsonNode imageId,

        JsonNode ports,

        Map<String, String> labels,

        List<@Valid ResourcesRequest> anyOf,

        List<@Valid ResourcesRequest> ordered,

        @Valid
        JobRecoveryRequest jobRecovery,

        JsonNode maxDuration,

        JsonNode keepOnFailure) {

    public static final String COUNT_PATTERN = "([0-9]+|[0-9]*\\.[0-9]+)\\+?";
    /** SkyPilot's memory: a count of GB, or a size with a unit (case-insensitive), either with "+" for "at least". */
    public static final String MEMORY_PATTERN = "([0-9]+|[0-9]*\\.[0-9]+)([KkMmGgTtPp][Bb])?\\+?";
    /** SkyPilot's disk_size: an integer (GB) or a whole size with a unit (case-insensitive). */
    public static final String DISK_SIZE_PATTERN = "[0-9]+([KkMmGgTtPp][Bb])?";
}
