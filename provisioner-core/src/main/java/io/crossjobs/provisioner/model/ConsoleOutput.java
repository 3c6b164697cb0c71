package io.crossjobs.provisioner.model;

/** Console bytes of one instance starting at byte {@code offset} of its whole output. */
public record ConsoleOutput(long offset, byte[] data) {

    public static ConsoleOutput empty(long offset) { return new ConsoleOutput(offset, new byte[0]); }

    /** The part of a whole console (as clouds without offsets return it) from {@code offset} on. */
    public static ConsoleOutput fromWhole(byte[] whole, long offset) {
        if (offset >= whole.length) return empty(offset);
        byte[] rest = new byte[whole.length - (int) offset];
        System.arraycopy(whole, (int) offset, rest, 0, rest.length);
        return new ConsoleOutput(offset, rest);
    }
}
