package io.crossjobs.jobapi.quota;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * {@code PUT /admin/quotas/{owner}}: the user's own quotas, in SkyPilot's snake_case as every request; a field left
 * out (or null) is the default's ({@code jobapi.quotas.defaults.*}). 0 allows none.
 */
public record QuotaRequest(
        @JsonProperty("live_jobs") @PositiveOrZero(message = "must be 0 or more") Long liveJobs,
        @JsonProperty("nodes_per_job") @PositiveOrZero(message = "must be 0 or more") Long nodesPerJob,
        @JsonProperty("live_vcpus") @PositiveOrZero(message = "must be 0 or more")
        @Max(value = 1_000_000_000L, message = "must be at most 1000000000") Double liveVcpus,
        @JsonProperty("live_accelerators") @PositiveOrZero(message = "must be 0 or more") Long liveAccelerators,
        @JsonProperty("live_usd_per_hour") @PositiveOrZero(message = "must be 0 or more")
        @Max(value = 1_000_000_000L, message = "must be at most 1000000000") Double liveUsdPerHour) {
}
