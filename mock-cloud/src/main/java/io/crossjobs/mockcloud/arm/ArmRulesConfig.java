package io.crossjobs.mockcloud.arm;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * {@code mock-cloud.azure.*}: relaxes the checks ARM makes and mock-cloud copies. Unset keeps Azure's documented
 * figure ({@link ArmRules#strict()}); the README's table names each one and its source.
 */
@ConfigMapping(prefix = "mock-cloud.azure")
public interface ArmRulesConfig {

    /** false: a VM's NIC may name a subnet that does not exist, or one in another location. */
    Optional<Boolean> requireSubnet();

    /** false: a Linux VM needs neither a password nor an SSH key, and any key text is taken. */
    Optional<Boolean> requireLinuxCredentials();

    /** Longest {@code osProfile.customData}, in base64 characters. */
    Optional<Integer> customDataMaxChars();

    /** The marketplace image's OS disk: a smaller {@code osDisk.diskSizeGB} is refused (0: any size). */
    Optional<Integer> imageOsDiskGb();

    /** Largest {@code osDisk.diskSizeGB}. */
    Optional<Integer> osDiskMaxGb();

    /** false: any {@code vmSize} is taken; true: only the built-in list and {@link #extraVmSizes()}. */
    Optional<Boolean> checkVmSizes();

    /** VM sizes accepted besides the built-in list. */
    Optional<List<String>> extraVmSizes();

    /** How long a virtual network PUT stays {@code Updating} before its operation succeeds. */
    Optional<Duration> networkCreateDelay();
}
