package io.crossjobs.testsupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two JVMs that each start processes are never handed the same port (the scenarios' stacks run side by side). */
class PortsTest {

    /** The other JVM: takes a port, prints it, and holds it until its input ends. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            System.out.println(Ports.free());
            System.out.flush();
            while (System.in.read() >= 0) { }
        }
    }

    @Test
    void aPortAnotherJvmHoldsIsNotHandedOutUntilThatJvmEnds() throws Exception {
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            int held = Integer.parseInt(new BufferedReader(new InputStreamReader(other.getInputStream(),
                    StandardCharsets.UTF_8)).readLine().trim());
            assertFalse(Ports.claim(held), "the other JVM holds " + held);
            for (int i = 0; i < 50; i++) assertNotEquals(held, Ports.free());
            other.getOutputStream().close();
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, other.exitValue());
            assertTrue(Ports.claim(held), "the other JVM has ended, and its claim with it");
            assertFalse(Ports.claim(held), "this JVM holds it now");
        } finally {
            other.destroyForcibly();
        }
    }
}
