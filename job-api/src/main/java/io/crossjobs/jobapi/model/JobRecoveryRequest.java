package io.crossjobs.jobapi.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.List;

/**
 * SkyPilot's {@code resources.job_recovery}: a strategy name, or the object form. {@code reset_max_duration} is
 * crossjobs' own: each recovery or restart starts the task's {@code max_duration} afresh.
 */
public record JobRecoveryRequest(
        @Pattern(regexp = "(?i)EAGER_NEXT_REGION|FAILOVER", message = "must be EAGER_NEXT_REGION or FAILOVER")
        String strategy,

        @Min(value = 0, message = "must be at least 0")
        Integer maxRestartsOnErrors,

        List<@NotNull(message = "must be an exit code") @Min(value = 0, message = "must be 0-255")
                @Max(value = 255, message = "must be 0-255") Integer> recoverOnExitCodes,

        Boolean resetMaxDuration) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public JobRecoveryRequest(
            @JsonProperty("strategy") String strategy,
            @JsonProperty("max_restarts_on_errors") Integer maxRestartsOnErrors,
            @JsonProperty("recover_on_exit_codes") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            List<Integer> recoverOnExitCodes,
            @JsonProperty("reset_max_duration") Boolean resetMaxDuration) {
        this.strategy = strategy;
        this.maxRestartsOnErrors = maxRestartsOnErrors;
        this.recoverOnExitCodes = recoverOnExitCodes;
        this.resetMaxDuration = resetMaxDuration;
    }

    /** {@code job_recovery: FAILOVER} */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static JobRecoveryRequest of(String strategy) {
        return new JobRecoveryRequest(strategy, null, null, null);
    }
}
