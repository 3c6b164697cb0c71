package io.crossjobs.jobapi.service;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SkyPilot's sizes with units ({@code memory: 1024MB}, {@code disk_size: 1TB}) as the GB the rest of crossjobs counts
 * in. The units are SkyPilot's (its YAML spec, "resources.memory" and "resources.disk_size"): KB, MB, GB, TB, PB,
 * case-insensitive, each 2^10 times the one before, GB when none is written.
 */
public final class SizeUnits {
    private static final Pattern SIZE = Pattern.compile("([0-9]+|[0-9]*\\.[0-9]+)([KkMmGgTtPp][Bb])?(\\+?)");
    private static final BigDecimal KIB = BigDecimal.valueOf(1024);
    private static final Map<String, Integer> POWER_FROM_GB = Map.of("KB", -2, "MB", -1, "GB", 0, "TB", 1, "PB", 2);

    /** {@code "1024MB"} → {@code "1"}, {@code "512MB+"} → {@code "0.5+"}, {@code "8+"} → {@code "8+"}; null stays null. */
    public static String memoryInGb(String memory) {
        if (memory == null) return null;
        Matcher m = SIZE.matcher(memory);
        if (!m.matches()) return memory;   // reported by validation
        return gb(m).stripTrailingZeros().toPlainString() + m.group(3);
    }

    /**
     * {@code "256GB"} → 256, {@code "1TB"} → 1024, {@code "1500MB"} → 1 (floored, as SkyPilot does); null stays null.
     * Exact at any size, so a number of a hundred digits is a size to refuse, not an overflow.
     */
    public static BigInteger diskSizeGb(String diskSize) {
        if (diskSize == null) return null;
        Matcher m = SIZE.matcher(diskSize);
        if (!m.matches() || !m.group(3).isEmpty()) return null;
        return gb(m).setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    }

    private static BigDecimal gb(Matcher m) {
        BigDecimal amount = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "GB" : m.group(2).toUpperCase(Locale.ROOT);
        int power = POWER_FROM_GB.get(unit);
        return power >= 0 ? amount.multiply(KIB.pow(power))
                : amount.divide(KIB.pow(-power), 12, RoundingMode.HALF_EVEN);
    }

    private SizeUnits() { }
}
