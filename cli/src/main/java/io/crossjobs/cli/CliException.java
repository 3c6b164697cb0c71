package io.crossjobs.cli;

/** A failure the user can act on: its message is printed as is, after "crossjobs: ", and the CLI exits with the code. */
public class CliException extends RuntimeException {
    /** Server unreachable, refused request, bad file: anything but the job's own outcome or a usage error. */
    public static final int ERROR = 1;

    private final int exitCode;

    public CliException(String message) {
        this(message, ERROR);
    }

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}
