package io.crossjobs.jobapi.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/**
 * One task as SkyPilot spells it (snake_case), from YAML or JSON. Unknown fields are rejected, never
 * ignored: a misspelt {@code use_spto} silently dropped would launch on-demand machines. {@code workdir} and
 * {@code file_mounts} are bound raw: their forms are read by {@code FileMountsMapper}. Every field is optional, as in
 * SkyPilot's task schema: a task without {@code run} runs its setup and ends with exit code 0.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SubmitJobRequest(
        @Pattern(regexp = NAME_PATTERN, message = "must start with a letter, contain only letters, digits, '-', '_' "
                + "or '.', end with a letter or digit, and be at most 63 characters")
        String name,

        JsonNode workdir,

        @Valid
        ResourcesRequest resources,

        @Min(value = 1, message = "must be at least 1")
        @Max(value = MAX_NUM_NODES, message = "must be at most " + MAX_NUM_NODES
                + ": each node is a VM of its own, launched and watched apart")
        Integer numNodes,

        Map<@NotNull @Pattern(regexp = ENV_NAME, message = ENV_NAME_MESSAGE) String,
                @NotNull(message = NULL_ENV) @Size(max = 32768) String> envs,

        Map<@NotNull @Pattern(regexp = ENV_NAME, message = ENV_NAME_MESSAGE) String,
                @NotNull(message = NULL_SECRET) @Size(max = 32768) String> secrets,

        JsonNode fileMounts,

        @Size(max = 65536, message = "must be at most 65536 characters")
        String setup,

        @Size(max = 65536, message = "must be at most 65536 characters")
        String run) {

    /**
     * The most nodes one task may ask for. crossjobs launches, watches and reads the output of each node apart (and
     * the provisioner renders each node's script in memory), so a task asking for 100,000 is refused at submission
     * rather than found out at launch; per-user quotas are a separate limit.
     */
    public static final int MAX_NUM_NODES = 1000;
    public static final String NAME_PATTERN = "(?=.{1,63}$)[A-Za-z]([-_.A-Za-z0-9]*[A-Za-z0-9])?";
    static final String ENV_NAME = "[A-Za-z_][A-Za-z0-9_]{0,127}";
    /** SkyPilot's task.py refuses a null env ("Please set a value for it in task YAML or with --env flag"). */
    static final String NULL_ENV = "has no value: give it in the task or at launch (crossjobs launch --env NAME=VALUE)";
    static final String NULL_SECRET = "has no value: give it in the task or at launch (--secret NAME=VALUE)";
    static final String ENV_NAME_MESSAGE =
            "must be an environment variable name (letters, digits, '_', not starting with a digit)";
}
