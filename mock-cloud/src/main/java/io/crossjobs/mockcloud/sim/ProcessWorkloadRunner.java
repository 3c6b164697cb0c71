package io.crossjobs.mockcloud.sim;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * Runs user data as {@code /bin/bash <file>} in {@code <stateDir>/<vm id>/root}, in a session of its own
 * (through {@code setsid} where there is one) so that terminating the VM can signal everything the script
 * started, including processes that outlived the script itself; as a user of its own where {@link WorkloadUsers}
 * can give it one.
 */
public final class ProcessWorkloadRunner implements WorkloadRunner {
    private static final Logger LOG = Logger.getLogger(ProcessWorkloadRunner.class);
    static final String USER_DATA_FILE = "user-data";
    static final String PID_FILE = "pid";
    static final String ROOT_DIR = "root";

    private final Path stateDir;
    private final boolean ownsStateDir;
    private final Duration killGrace;
    private final String setsid;
    private final Map<String, String> extraEnv;
    private final String metadataBaseUrl;
    private final WorkloadUsers users;

    /**
     * @param ownsStateDir the directory was created for this run and is deleted on close
     * @param extraEnv     added to every workload's environment
     */
    public ProcessWorkloadRunner(Path stateDir, boolean ownsStateDir, Duration killGrace,
                                 Map<String, String> extraEnv) {
        this(stateDir, ownsStateDir, killGrace, extraEnv, null, WorkloadUsers.none());
    }

    /**
     * @param metadataBaseUrl where mock-cloud serves per-instance metadata ({@code <base>/<instance id>/...} shaped
     *                        like each cloud's metadata service); given to each VM as
     *                        {@code MOCK_CLOUD_METADATA_URL=<base>/<id>}, or null for none
     * @param users           which user each VM's user data runs as
     */
    public ProcessWorkloadRunner(Path stateDir, boolean ownsStateDir, Duration killGrace,
                                 Map<String, String> extraEnv, String metadataBaseUrl, WorkloadUsers users) {
        this.metadataBaseUrl = metadataBaseUrl;
        this.users = users;
        this.stateDir = stateDir;
        this.ownsStateDir = ownsStateDir;
        this.killGrace = killGrace;
        this.extraEnv = Map.copyOf(extraEnv);
        this.setsid = Stream.of("/usr/bin/setsid", "/bin/setsid")
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        if (setsid == null) {
            LOG.warn("setsid not found: terminating a VM kills the script's process tree but not processes that"
                    + " detached from it");
        }
        try {
            Files.createDirectories(stateDir);
            // a VM running as a user of its own passes through this directory to its own (a temp dir is 0700)
            if (users.isolating()) {
                Files.setPosixFilePermissions(stateDir,
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state dir " + stateDir, e);
        }
    }

    public Path stateDir() {
        return stateDir;
    }

    @Override
    public Workload start(VmView vm, byte[] userData, ConsoleBuffer console) throws IOException {
        Path dir = vmDir(vm);
        Path root = dir.resolve(ROOT_DIR);
        Files.createDirectories(root);
        Path script = dir.resolve(USER_DATA_FILE);
        Files.write(script, userData);
        List<String> cmd = new java.util.ArrayList<>();
        if (setsid != null) cmd.add(setsid);
        java.util.OptionalInt uid = users.uidOf(vm);
        if (uid.isPresent()) {
            WorkloadUsers.handOver(uid.getAsInt(), dir, root, script);
            cmd.addAll(users.runAs(uid.getAsInt()));
        }
        cmd.addAll(List.of("/bin/bash", script.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("HOME", root.toString());
        env.put("MOCK_CLOUD_INSTANCE_ID", vm.id());
        env.put("MOCK_CLOUD_CLOUD", vm.cloud().id());
        env.put("MOCK_CLOUD_REGION", vm.region());
        env.put("MOCK_CLOUD_ZONE", vm.zone());
        env.put("MOCK_CLOUD_INSTANCE_TYPE", vm.instanceType());
        if (metadataBaseUrl != null) env.put("MOCK_CLOUD_METADATA_URL", metadataBaseUrl + "/" + vm.id());
        env.putAll(extraEnv);
        Process process = pb.start();
        Files.writeString(dir.resolve(PID_FILE), Long.toString(process.pid()), StandardCharsets.US_ASCII);
        LOG.debugf("%s: user data started as pid %d", vm.id(), process.pid());
        return new ProcessWorkload(vm.id(), process, setsid != null, console, killGrace);
    }

    @Override
    public void forget(VmView vm) {
        deleteTree(vmDir(vm));
    }

    /**
     * Kills process groups that an earlier mock-cloud left running in this state dir (it was killed without
     * a chance to clean up). Only processes whose command line still names the VM's user-data file are hit.
     */
    public int reapLeftovers() {
        int reaped = 0;
        try (Stream<Path> dirs = Files.list(stateDir)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Path pidFile = dir.resolve(PID_FILE);
                if (!Files.isRegularFile(pidFile)) continue;
                try {
                    long pid = Long.parseLong(Files.readString(pidFile).trim());
                    String script = dir.resolve(USER_DATA_FILE).toString();
                    boolean ours = ProcessHandle.of(pid)
                            .flatMap(h -> h.info().commandLine())
                            .map(cmd -> cmd.contains(script)).orElse(false);
                    if (ours) {
                        LOG.warnf("killing leftover workload pid %d from an earlier run (%s)", pid, dir);
                        ProcessWorkload.signalGroup(pid, "KILL");
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                        reaped++;
                    }
                    Files.deleteIfExists(pidFile);
                } catch (IOException | NumberFormatException e) {
                    LOG.debugf("ignoring %s: %s", pidFile, e);
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot scan %s for leftover workloads: %s", stateDir, e);
        }
        return reaped;
    }

    @Override
    public void close() {
        if (ownsStateDir) deleteTree(stateDir);
    }

    private Path vmDir(VmView vm) {
        return stateDir.resolve(vm.id());
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debugf("cannot delete %s: %s", p, e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.debugf("cannot delete %s: %s", dir, e);
        }
    }
}
