package io.crossjobs.events;

import java.util.Locale;

/**
 * GPUs (or other accelerators) of one kind attached to each node, as SkyPilot writes them: {@code T4:2}, or
 * {@code T4} meaning one. Names are kept upper case, as the catalogs spell them.
 */
public record Accelerator(String name, int count) {

    public Accelerator {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("an accelerator needs a name");
        if (count < 1) throw new IllegalArgumentException("accelerator " + name + ": count must be at least 1");
        name = name.strip().toUpperCase(Locale.ROOT);
    }

    /** {@code NAME} or {@code NAME:COUNT}. */
    public static Accelerator parse(String spec) {
        String[] parts = spec == null ? new String[] {""} : spec.strip().split(":");
        try {
            int count = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : 1;
            if (parts.length > 2 || parts[0].isBlank() || count < 1) throw new NumberFormatException();
            return new Accelerator(parts[0], count);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("accelerator '" + spec + "' is not NAME or NAME:COUNT");
        }
    }

    @Override
    public String toString() { return name + ":" + count; }
}
