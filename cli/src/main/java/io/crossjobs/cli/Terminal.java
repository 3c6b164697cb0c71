package io.crossjobs.cli;

import java.io.Console;

/**
 * The user at a terminal, for the questions a command asks before it does something that cannot be undone. A command
 * run from a script, a pipe or CI has none: it must be told (--yes) instead of asked.
 */
public interface Terminal {
    /** Whether someone can be asked: stdin (and stdout) are a terminal. */
    boolean interactive();

    /** Shows {@code prompt} and returns the line typed, or null at the end of input (Ctrl-D). */
    String readLine(String prompt);

    /** No terminal: nobody can be asked. */
    Terminal NONE = new Terminal() {
        @Override
        public boolean interactive() { return false; }

        @Override
        public String readLine(String prompt) { return null; }
    };

    /**
     * The process's terminal. Java 17's {@link System#console()} is there only when stdin and stdout are both a
     * terminal, so output piped elsewhere also counts as no terminal (the command then asks for --yes).
     */
    static Terminal ofProcess() {
        Console console = System.console();
        if (console == null) return NONE;
        return new Terminal() {
            @Override
            public boolean interactive() { return true; }

            @Override
            public String readLine(String prompt) { return console.readLine("%s", prompt); }
        };
    }
}
