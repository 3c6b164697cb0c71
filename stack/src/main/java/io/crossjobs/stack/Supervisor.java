package io.crossjobs.stack;

import io.crossjobs.testsupport.ServiceProcess;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts again each process of a {@link Stack} that exits on its own, after the {@link RestartPolicy}'s delay, and
 * says so in one line per exit and one when it serves again. Looks every half second; processes the stack stops on
 * purpose (close, a test's restart, a replacement) are never started again by it.
 */
final class Supervisor implements AutoCloseable {
    private static final Duration LOOK_EVERY = Duration.ofMillis(500);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final Stack stack;
    private final RestartPolicy policy;
    private final PrintStream out;
    /** The looks and the timers of the delays. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("timer"));
    /** The starts, which wait for readiness: one thread each, so that one slow start delays no other. */
    private final ExecutorService starts = Executors.newCachedThreadPool(daemon("start"));

    Supervisor(Stack stack, RestartPolicy policy, PrintStream out) {
        this.stack = stack;
        this.policy = policy;
        this.out = out;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::look, LOOK_EVERY.toMillis(), LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void look() {
        try {
            stack.collectCrashes().forEach(this::decide);
        } catch (RuntimeException e) {
            // one bad look must not end the supervision
            out.println("crossjobs: supervising the stack failed once: " + e);
        }
    }

    private void decide(Stack.Crash crash) {
        Slot slot = crash.slot();
        RestartPolicy.Decision decision = policy.afterExit(crash.crashes());
        String log = crash.dead().log().toString();
        if (decision.verdict() == RestartPolicy.Verdict.GIVE_UP) {
            stack.giveUp(slot);
            out.printf("%ncrossjobs: GIVING UP on %s: %s. It %s and stays down; the rest of the stack keeps running. "
                    + "See %s; ./crossjobs down, then up, starts it again.%n%n", slot.name(), decision.reason(),
                    crash.exit().describe(), log);
            return;
        }
        out.printf("crossjobs: %s exited (%s); starting it again in %d s (restart %d, attempt %d: %s; see %s)%n",
                slot.name(), crash.exit().describe(), decision.delay().toSeconds(), crash.restarts() + 1,
                decision.attempt(), decision.reason(), log);
        timer.schedule(() -> starts.execute(() -> startAgain(slot, crash.dead())), decision.delay().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Starts the slot's process again; once it serves, restarts the services that depend on what it made. */
    private void startAgain(Slot slot, ServiceProcess ended) {
        stack.startAgain(slot, ended).ifPresent(p -> {
            if (!awaitReady(slot, p)) return;
            Stack.Dependents dependents = stack.dependentsOf(slot.name());
            if (dependents.names().isEmpty()) return;
            out.printf("crossjobs: restarting %s in %d s: %s%n", String.join(", ", dependents.names()),
                    dependents.after().toSeconds(), dependents.why());
            timer.schedule(() -> dependents.names().forEach(name -> starts.execute(() ->
                    stack.stopToReplace(name).ifPresent(replaced -> startAgain(replaced, replaced.process())))),
                    dependents.after().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private boolean awaitReady(Slot slot, ServiceProcess p) {
        try {
            slot.launch().awaitReady(p, READY_TIMEOUT);
            out.printf("crossjobs: %s is back at %s (pid %d, restart %d)%n", slot.name(), slot.launch().where(),
                    p.pid(), slot.restarts());
            return true;
        } catch (RuntimeException e) {
            // exited while starting: the next look sees it gone and weighs it as a quick crash
            if (!stack.closing()) out.println("crossjobs: " + slot.name() + " did not come back: " + e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        starts.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String role) {
        return r -> {
            Thread t = new Thread(r, "crossjobs-supervisor-" + role);
            t.setDaemon(true);
            return t;
        };
    }
}
