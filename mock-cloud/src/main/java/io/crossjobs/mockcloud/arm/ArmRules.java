package io.crossjobs.mockcloud.arm;

import java.time.Duration;
import java.util.Set;

/**
 * The checks ARM makes of a create request that mock-cloud copies, with Azure's figures; each can be relaxed
 * (README: behaviour | documented figure | source | setting). Values only: {@link ArmVmChecks} applies them.
 *
 * @param requireSubnet           a NIC's subnet must exist, in a virtual network of the VM's location
 * @param requireLinuxCredentials a Linux VM needs {@code osProfile} with an SSH key or a password, keys ssh-rsa of
 *                                at least 2048 bits
 * @param customDataMaxChars      longest base64 {@code osProfile.customData} (65,535 bytes once decoded)
 * @param imageOsDiskGb           OS disk of the marketplace image; {@code osDisk.diskSizeGB} may not be smaller
 * @param osDiskMaxGb             largest managed OS disk
 * @param checkVmSizes            only {@link ArmVmSizes} and {@code extraVmSizes} are valid sizes
 * @param networkCreateDelay      a virtual network is {@code Updating} this long after its PUT
 */
public record ArmRules(boolean requireSubnet, boolean requireLinuxCredentials, int customDataMaxChars,
                       int imageOsDiskGb, int osDiskMaxGb, boolean checkVmSizes, Set<String> extraVmSizes,
                       Duration networkCreateDelay) {

    public ArmRules {
        extraVmSizes = Set.copyOf(extraVmSizes);
    }

    /** Azure's own figures: every check on. */
    public static ArmRules strict() {
        return new ArmRules(true, true, 87_380, 30, 4_095, true, Set.of(), Duration.ofMillis(500));
    }

    /** Every check off: what mock-cloud accepted before it copied ARM's checks. */
    public static ArmRules lenient() {
        return new ArmRules(false, false, Integer.MAX_VALUE, 0, Integer.MAX_VALUE, false, Set.of(), Duration.ZERO);
    }

    /** The strict figures with the configured ones instead where set. */
    public static ArmRules of(ArmRulesConfig config) {
        ArmRules d = strict();
        return new ArmRules(config.requireSubnet().orElse(d.requireSubnet()),
                config.requireLinuxCredentials().orElse(d.requireLinuxCredentials()),
                config.customDataMaxChars().orElse(d.customDataMaxChars()),
                config.imageOsDiskGb().orElse(d.imageOsDiskGb()),
                config.osDiskMaxGb().orElse(d.osDiskMaxGb()),
                config.checkVmSizes().orElse(d.checkVmSizes()),
                Set.copyOf(config.extraVmSizes().orElse(java.util.List.of())),
                config.networkCreateDelay().orElse(d.networkCreateDelay()));
    }
}
