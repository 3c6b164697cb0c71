package io.crossjobs.bench;

import io.crossjobs.testsupport.ServiceProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time each process of the stack has used so far (user + system, with its child processes such as
 * PostgreSQL's backends), read from /proc; the difference of two snapshots says where a phase's CPU went.
 */
final class CpuProbe {
    /** Clock ticks per second of /proc/PID/stat; 100 on every Linux this runs on (CONFIG_HZ does not change it). */
    private static final double TICKS_PER_SECOND = 100;
    static final String BENCH = "bench (load generator + tracer)";

    private CpuProbe() { }

    /**
     * CPU seconds by process name, plus this JVM alone under {@link #BENCH}. PostgreSQL's server detaches from the
     * process that started it, so its postmaster is found by the {@code postmaster.pid} in {@code postgresData}. The
     * controller runs inside a mock VM, a descendant of mock-cloud: its process ({@code controllerPid}) is counted
     * under its own name and taken out of mock-cloud's.
     */
    static Map<String, Double> snapshot(List<ServiceProcess> processes, Path postgresData, long controllerPid) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        double controller = ProcessHandle.of(controllerPid).map(CpuProbe::treeSeconds).orElse(0d);
        for (ServiceProcess p : processes) {
            ProcessHandle.of(p.pid()).ifPresent(h -> {
                boolean hostsController = h.descendants().anyMatch(d -> d.pid() == controllerPid);
                seconds.merge(p.name(), treeSeconds(h) - (hostsController ? controller : 0), Double::sum);
            });
        }
        seconds.put("controller-service", controller);
        postmaster(postgresData).ifPresent(h -> seconds.merge("postgres", treeSeconds(h), Double::sum));
        seconds.put(BENCH, seconds(ProcessHandle.current()));
        return seconds;
    }

    private static java.util.Optional<ProcessHandle> postmaster(Path dataDir) {
        try {
            String pid = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim();
            return ProcessHandle.of(Long.parseLong(pid));
        } catch (IOException | RuntimeException notRunning) {
            return java.util.Optional.empty();
        }
    }

    /** {@code after - before} per name, for the names in {@code after}. */
    static Map<String, Double> used(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> used = new LinkedHashMap<>();
        after.forEach((name, s) -> used.put(name, Math.max(0, s - before.getOrDefault(name, 0d))));
        return used;
    }

    private static double treeSeconds(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).mapToDouble(CpuProbe::seconds).sum();
    }

    private static double seconds(ProcessHandle h) {
        try {
            String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
