package io.crossjobs.mockcloud.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * Each VM is a machine of its own on a real cloud: its processes cannot read the files of the machine that
 * launched it, nor another VM's. Here a VM is a process of this machine, so where this server runs as root and has
 * util-linux's {@code setpriv}, each VM's user data runs under a uid of its own (no supplementary groups, no new
 * privileges), owning only its VM directory: it cannot read what the local stack keeps readable by its user only
 * (the admin token, the secrets key, the services' settings) nor another VM's directory. Otherwise every VM runs as
 * this server's user, and it says so at start.
 *
 * <p>A VM tagged {@code crossjobs-role=controller} (the jobs controller's own) runs as this server's user: it is
 * part of the stack, writes the stack's controller log, and reads no job's files.
 */
public final class WorkloadUsers {
    private static final Logger LOG = Logger.getLogger(WorkloadUsers.class);
    /** Far above the uids of real accounts (systemd reserves up to 60,000 and containers map from 100,000). */
    static final int FIRST_UID = 2_000_000;
    static final int UIDS = 1_000_000;
    private static final String ROLE_TAG = "crossjobs-role";

    private final String setpriv;

    private WorkloadUsers(String setpriv) {
        this.setpriv = setpriv;
    }

    /** As this server's own user: no isolation. */
    public static WorkloadUsers none() {
        return new WorkloadUsers(null);
    }

    /** A uid per VM when {@code wanted}, this process is root and {@code setpriv} is there; else none, said why. */
    public static WorkloadUsers detect(boolean wanted) {
        if (!wanted) {
            LOG.warn("VMs run as this server's user (mock-cloud.isolate-workloads=false): a job can read what that"
                    + " user can, the local stack's admin token and secrets key included");
            return none();
        }
        String setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv").filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().orElse(null);
        if (!runningAsRoot() || setpriv == null) {
            LOG.warnf("VMs run as this server's user (%s): a job can read what that user can, the local stack's admin"
                    + " token and secrets key included", setpriv == null ? "no setpriv on this machine"
                    : "running a VM as a user of its own needs root");
            return none();
        }
        LOG.infof("each VM runs as a uid of its own (%d and up), owning only its directory", FIRST_UID);
        return new WorkloadUsers(setpriv);
    }

    public boolean isolating() {
        return setpriv != null;
    }

    /** The uid VM {@code vm} runs as; empty: this server's user. */
    public OptionalInt uidOf(VmView vm) {
        if (setpriv == null || "controller".equals(vm.tags().get(ROLE_TAG))) return OptionalInt.empty();
        return OptionalInt.of(FIRST_UID + (int) Math.floorMod(vm.sequence(), (long) UIDS));
    }

    /** The command prefix that runs what follows as {@code uid}. */
    List<String> runAs(int uid) {
        return List.of(setpriv, "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--no-new-privs", "--");
    }

    /** Gives {@code paths} to {@code uid}, readable and writable by it alone. */
    static void handOver(int uid, Path... paths) throws IOException {
        for (Path p : paths) {
            Files.setAttribute(p, "unix:uid", uid);
            Files.setAttribute(p, "unix:gid", uid);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------"
                    : "rw-------"));
        }
    }

    private static boolean runningAsRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                    .anyMatch(l -> l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }
}
