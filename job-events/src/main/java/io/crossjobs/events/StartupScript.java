package io.crossjobs.events;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The bash script a node boots with (EC2 user data, GCE startup-script, Azure custom data): exports the
 * task's envs and the node environment (crossjobs' and SkyPilot's names), runs {@code setup} then {@code run},
 * each in its own bash with stdin closed, and prints the exit markers that {@link ExitMarkers} reads back.
 * User text only ever appears inside single quotes, so it cannot break out of the script.
 */
public final class StartupScript {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * The script of node {@code rank}. {@code nodeIps} lists every node's private IP, head first, when known
     * before boot; when empty, a one-node cluster uses its own address.
     *
     * @throws IllegalArgumentException for an env name that is not a shell variable name, or a NUL character
     */
    public static String render(LaunchCluster launch, int rank, List<String> nodeIps) {
        return render(launch, rank, ScriptOptions.defaults().withNodeIps(nodeIps));
    }

    /**
     * The script of node {@code rank} with everything {@code options} adds. Secrets are not in it: the node fetches
     * them ({@link SecretDelivery}) before anything of the task runs, and they reach the environment of setup and
     * run but not the output: the script never echoes a command (no {@code set -x}). The exit nonce
     * appears only inside the printf lines of this script, never in a variable, so setup and run do not inherit it.
     * A multi-node cluster without node IPs but with a lookup waits, before setup, until its metadata holds all
     * nodes' addresses, and gives up after the lookup's timeout with a setup-exit marker.
     *
     * @throws IllegalArgumentException for an env name that is not a shell variable name, or a NUL character
     */
    public static String render(LaunchCluster launch, int rank, ScriptOptions options) {
        StringBuilder s = new StringBuilder(512);
        s.append("#!/bin/bash\n");
        s.append("# crossjobs node ").append(rank).append(" of ").append(launch.numNodes())
                .append(", attempt ").append(launch.attempt()).append('\n');
        s.append("exec 2>&1\n");
        if (launch.timeLimit() != null) timeLimit(s, launch.timeLimit());
        String exitNonce = options.exitNonce();
        if (options.shipping() != null) shipOutput(s, options.shipping());
        // the user's envs and secrets first, so they cannot shadow the node environment below
        exportAll(s, "envs", launch.envs());
        if (options.secrets() != null) fetchSecrets(s, options.secrets(), exitNonce);
        if (!launch.fileMounts().isEmpty()) stageFiles(s, launch, exitNonce);
        export(s, "CROSSJOBS_JOB_ID", quote(launch.jobId()));
        export(s, "CROSSJOBS_TASK_ID", quote(launch.taskId() == null ? launch.jobId() : launch.taskId()));
        export(s, "CROSSJOBS_NODE_RANK", Integer.toString(rank));
        export(s, "CROSSJOBS_NUM_NODES", Integer.toString(launch.numNodes()));
        if (options.nodeIps().isEmpty() && launch.numNodes() > 1 && options.lookup() != null) {
            awaitNodeIps(s, launch.numNodes(), options.lookup(), exitNonce);
        } else if (options.nodeIps().isEmpty()) {
            s.append("CROSSJOBS_NODE_IPS=$(hostname -I 2>/dev/null | awk '{print $1}')\n");
            export(s, "CROSSJOBS_NODE_IPS", "${CROSSJOBS_NODE_IPS:-127.0.0.1}");
        } else {
            export(s, "CROSSJOBS_NODE_IPS", quote(String.join("\n", options.nodeIps())));
        }
        export(s, "SKYPILOT_TASK_ID", "\"$CROSSJOBS_TASK_ID\"");
        export(s, "SKYPILOT_NODE_RANK", "\"$CROSSJOBS_NODE_RANK\"");
        export(s, "SKYPILOT_NUM_NODES", "\"$CROSSJOBS_NUM_NODES\"");
        export(s, "SKYPILOT_NODE_IPS", "\"$CROSSJOBS_NODE_IPS\"");

        TimeLimit limit = launch.timeLimit();
        String limited = limit == null ? "" : "crossjobs_limited ";
        if (launch.setup() != null && !launch.setup().isBlank()) {
            s.append(limited).append("bash -c ").append(quote(launch.setup())).append(" </dev/null\n");
            s.append("crossjobs_rc=$?\n");
            if (limit != null) stoppedAtLimit(s, "setup", exitNonce);
            s.append("if [ \"$crossjobs_rc\" -ne 0 ]; then\n");
            s.append("  printf '").append(markerFormat(RunPhase.SETUP, exitNonce)).append("' \"$crossjobs_rc\"\n");
            s.append("  exit \"$crossjobs_rc\"\n");
            s.append("fi\n");
        }
        String run = launch.run() == null || launch.run().isBlank() ? "true" : launch.run();
        s.append(limited).append("bash -c ").append(quote(run)).append(" </dev/null\n");
        s.append("crossjobs_rc=$?\n");
        if (limit != null) stoppedAtLimit(s, "run", exitNonce);
        s.append("printf '").append(markerFormat(RunPhase.RUN, exitNonce)).append("' \"$crossjobs_rc\"\n");
        s.append("exit \"$crossjobs_rc\"\n");
        return s.toString();
    }

    /**
     * The task's time limit, counted from the script's start (the node is up: the job is RUNNING): {@code
     * crossjobs_limited} runs a command under coreutils' {@code timeout} with what is left of it, which on expiry sends
     * SIGTERM to the command's whole process group and SIGKILL after the grace; a command started after the limit
     * ran out does not run at all (status 124, as {@code timeout}'s).
     */
    private static void timeLimit(StringBuilder s, TimeLimit limit) {
        s.append("crossjobs_deadline=$(( $(date +%s) + ").append(limit.leftSeconds()).append(" ))\n");
        s.append("crossjobs_limited() {\n");
        s.append("  local left=$(( crossjobs_deadline - $(date +%s) ))\n");
        s.append("  [ \"$left\" -gt 0 ] || return 124\n");
        s.append("  timeout --kill-after=").append(Math.max(1, limit.graceSeconds())).append("s \"${left}s\" \"$@\"\n");
        s.append("}\n");
        s.append("crossjobs_limit_message=").append(quote("crossjobs: " + limit.describe() + " reached")).append('\n');
        s.append("crossjobs_grace=").append(limit.graceSeconds()).append('\n');
    }

    /**
     * After setup or run under the time limit: when {@code timeout} stopped it (124, or 137 after SIGKILL) and the
     * limit has passed, say so and end with the time-limit marker instead of the phase's own.
     */
    private static void stoppedAtLimit(StringBuilder s, String what, String exitNonce) {
        s.append("if { [ \"$crossjobs_rc\" -eq 124 ] || [ \"$crossjobs_rc\" -eq 137 ]; }")
                .append(" && [ \"$(date +%s)\" -ge \"$crossjobs_deadline\" ]; then\n");
        s.append("  echo \"$crossjobs_limit_message: ").append(what)
                .append(" was stopped (SIGTERM, then SIGKILL after ${crossjobs_grace}s), status $crossjobs_rc\"\n");
        s.append("  printf '").append(markerFormat(RunPhase.TIME_LIMIT, exitNonce)).append("' \"$crossjobs_rc\"\n");
        s.append("  exit \"$crossjobs_rc\"\n");
        s.append("fi\n");
    }

    /** Marks the lines that define {@code crossjobs_ship}, so a simulator can run the upload alone. */
    public static final String SHIP_FUNCTION_BEGIN = "# crossjobs-ship-function-begin";
    public static final String SHIP_FUNCTION_END = "# crossjobs-ship-function-end";

    /**
     * From here on, everything the script and its children print goes to a file that a background loop ships in
     * chunks (see {@link OutputShipping}); the console keeps only the loop's own complaints. On exit the script
     * waits until the loop has shipped the last byte, exit marker included. A chunk that cannot be stored is
     * tried again every 5 s, for as long as the node lives.
     */
    private static void shipOutput(StringBuilder s, OutputShipping shipping) {
        s.append(SHIP_FUNCTION_BEGIN).append('\n');
        s.append("crossjobs_ship() {\n").append(shipping.shipFunction().strip()).append("\n}\n");
        s.append(SHIP_FUNCTION_END).append('\n');
        s.append("crossjobs_dir=$(mktemp -d \"${TMPDIR:-/tmp}/crossjobs-output.XXXXXX\") || exit 1\n");
        s.append(": >\"$crossjobs_dir/output\"\n");
        s.append("crossjobs_shipper() {\n");
        s.append("  local out=\"$crossjobs_dir/output\" chunk=\"$crossjobs_dir/chunk\" off=0 size last=\n");
        s.append("  while :; do\n");
        s.append("    [ -e \"$crossjobs_dir/done\" ] && last=1\n");
        s.append("    size=$(stat -c %s \"$out\")\n");
        s.append("    while [ \"$size\" -gt \"$off\" ]; do\n");
        s.append("      tail -c +$((off + 1)) \"$out\" | head -c ").append(OutputShipping.MAX_CHUNK_BYTES)
                .append(" >\"$chunk\"\n");
        s.append("      until crossjobs_ship \"$chunk\" \"$off\"; do\n");
        s.append("        echo \"crossjobs: shipping output from byte $off failed; trying again in 5 s\"\n");
        s.append("        sleep 5\n");
        s.append("      done\n");
        s.append("      off=$((off + $(stat -c %s \"$chunk\")))\n");
        s.append("    done\n");
        s.append("    [ -n \"$last\" ] && return 0\n");
        s.append("    sleep ").append(OutputShipping.SHIP_INTERVAL_SECONDS).append('\n');
        s.append("  done\n");
        s.append("}\n");
        s.append("crossjobs_shipper &\n");
        s.append("crossjobs_shipper_pid=$!\n");
        s.append("trap 'touch \"$crossjobs_dir/done\"; wait \"$crossjobs_shipper_pid\"' EXIT\n");
        s.append("exec >>\"$crossjobs_dir/output\" 2>&1\n");
    }

    /**
     * The text a node's secrets are stored as for {@link SecretDelivery}: one {@code export NAME='value'} line each,
     * which the script sources.
     *
     * @throws IllegalArgumentException for a name that is not a shell variable name, or a NUL character
     */
    public static String secretsFile(Map<String, String> opened) {
        StringBuilder s = new StringBuilder();
        exportAll(s, "secrets", opened);
        return s.toString();
    }

    /**
     * The bash that defines {@code crossjobs_stage_files}, which fetches every mount with its signed GETs and puts it
     * at its target (an archive unpacked, a file written, a bucket's objects under the folder), failing on the first
     * that cannot be fetched. It travels in the node's private file ({@link SecretDelivery}), never in user data, so
     * the signed requests are not readable from the instance's description; the script calls it after sourcing that.
     *
     * @throws IllegalArgumentException for a NUL character
     */
    public static String stagingFunction(List<StagedMount> mounts) {
        StringBuilder s = new StringBuilder();
        s.append("crossjobs_stage_files() {\n");
        s.append("  local f\n");
        s.append("  crossjobs_get() {\n");
        s.append("    local out=$1 url=$2 h=() x\n");
        s.append("    shift 2\n");
        s.append("    for x in \"$@\"; do h+=(-H \"$x\"); done\n");
        s.append("    curl -fsS --retry 5 --retry-delay 2 --retry-connrefused -o \"$out\" \"${h[@]}\" \"$url\"\n");
        s.append("  }\n");
        for (StagedMount staged : mounts) {
            FileMount mount = staged.mount();
            String target = targetPath(mount.target());
            String failed = " || { echo 'crossjobs: could not stage '" + quote(mount.target()) + "; return 1; }\n";
            switch (mount.source()) {
                case ARCHIVE -> {
                    StagedMount.StagedObject archive = staged.objects().get(0);
                    s.append("  mkdir -p ").append(target).append(" && f=$(mktemp) && crossjobs_get \"$f\" ")
                            .append(request(archive.get())).append(" && tar -xzf \"$f\" --no-same-owner -C ")
                            .append(target).append(" && rm -f \"$f\"").append(failed);
                }
                case FILE -> {
                    StagedMount.StagedObject file = staged.objects().get(0);
                    s.append("  mkdir -p \"$(dirname -- ").append(target).append(")\" && crossjobs_get ")
                            .append(target).append(' ').append(request(file.get())).append(failed);
                }
                case BUCKET -> {
                    s.append("  mkdir -p ").append(target).append(failed);
                    for (StagedMount.StagedObject object : staged.objects()) {
                        String path = target + "/" + quote(object.path());
                        s.append("  mkdir -p \"$(dirname -- ").append(path).append(")\" && crossjobs_get ")
                                .append(path).append(' ').append(request(object.get())).append(failed);
                    }
                }
            }
        }
        s.append("  unset -f crossjobs_get\n");
        s.append("}\n");
        return s.toString();
    }

    /** A mount's target as bash: {@code ~} and relative paths under {@code $HOME}, the rest quoted. */
    static String targetPath(String target) {
        if (target.equals("~")) return "\"$HOME\"";
        if (target.startsWith("~/")) return "\"$HOME\"/" + quote(target.substring(2));
        if (target.startsWith("/")) return quote(target);
        return "\"$HOME\"/" + quote(target);
    }

    private static String request(SignedRequest get) {
        StringBuilder r = new StringBuilder(quote(get.url()));
        new TreeMap<>(get.headers()).forEach((name, value) -> r.append(' ').append(quote(name + ": " + value)));
        return r.toString();
    }

    /**
     * Stages the task's files (the function came with the node's private file) before setup, and enters the workdir
     * when there is one, so setup and run start in it as in SkyPilot; a node that cannot stage them ends with a
     * setup-exit marker of {@link FileMount#STAGING_FAILED}.
     */
    private static void stageFiles(StringBuilder s, LaunchCluster launch, String exitNonce) {
        String enterWorkdir = launch.fileMounts().stream().anyMatch(FileMount::isWorkdir)
                ? " || ! cd " + targetPath(FileMount.WORKDIR) : "";
        s.append("if ! declare -F crossjobs_stage_files >/dev/null || ! crossjobs_stage_files").append(enterWorkdir)
                .append("; then\n");
        s.append("  printf '").append(markerFormat(RunPhase.SETUP, exitNonce)).append("' ")
                .append(FileMount.STAGING_FAILED).append('\n');
        s.append("  exit ").append(FileMount.STAGING_FAILED).append('\n');
        s.append("fi\n");
        s.append("unset -f crossjobs_stage_files\n");
    }

    /**
     * Fetches the secrets into a file only this user may read, sources it and removes it; without them the task
     * does not start, and the node ends with a setup-exit marker of {@link SecretDelivery#UNAVAILABLE}.
     */
    private static void fetchSecrets(StringBuilder s, SecretDelivery delivery, String exitNonce) {
        s.append("crossjobs_fetch_secrets() {\n").append(delivery.fetchFunction().strip()).append("\n}\n");
        s.append("crossjobs_secrets=$(umask 077; mktemp \"${TMPDIR:-/tmp}/crossjobs-secrets.XXXXXX\") || exit 1\n");
        s.append("crossjobs_tries=0\n");
        s.append("until crossjobs_fetch_secrets \"$crossjobs_secrets\"; do\n");
        s.append("  crossjobs_tries=$((crossjobs_tries + 1))\n");
        s.append("  if [ \"$crossjobs_tries\" -ge ").append(SecretDelivery.FETCH_TRIES).append(" ]; then\n");
        s.append("    rm -f \"$crossjobs_secrets\"\n");
        s.append("    echo 'crossjobs: could not fetch the task'\\''s secrets after ").append(SecretDelivery.FETCH_TRIES)
                .append(" tries'\n");
        s.append("    printf '").append(markerFormat(RunPhase.SETUP, exitNonce)).append("' ")
                .append(SecretDelivery.UNAVAILABLE).append('\n');
        s.append("    exit ").append(SecretDelivery.UNAVAILABLE).append('\n');
        s.append("  fi\n");
        s.append("  sleep 5\n");
        s.append("done\n");
        s.append(". \"$crossjobs_secrets\"\n");
        s.append("rm -f \"$crossjobs_secrets\"\n");
        s.append("unset -f crossjobs_fetch_secrets\n");
    }

    /**
     * Polls the node's own metadata service (VMs never call the control plane) until it lists exactly
     * {@code numNodes} addresses, then exports them one per line, head first, as SkyPilot does.
     */
    private static void awaitNodeIps(StringBuilder s, int numNodes, NodeIpsLookup lookup, String exitNonce) {
        long seconds = Math.max(1, lookup.timeout().toSeconds());
        s.append("crossjobs_read_node_ips() {\n").append(lookup.readCommand().strip()).append("\n}\n");
        s.append("crossjobs_deadline=$((SECONDS + ").append(seconds).append("))\n");
        s.append("until CROSSJOBS_NODE_IPS=$(crossjobs_read_node_ips 2>/dev/null | tr -s ' ' '\\n' | sed '/^$/d')\n");
        s.append("  [ \"$(printf '%s\\n' \"$CROSSJOBS_NODE_IPS\" | grep -c .)\" -eq ").append(numNodes).append(" ]; do\n");
        s.append("  if [ \"$SECONDS\" -ge \"$crossjobs_deadline\" ]; then\n");
        s.append("    echo 'crossjobs: gave up after ").append(seconds).append(" s waiting for the addresses of all ")
                .append(numNodes).append(" nodes in the instance metadata'\n");
        s.append("    printf '").append(markerFormat(RunPhase.SETUP, exitNonce)).append("' ")
                .append(NodeIpsLookup.TIMED_OUT).append('\n');
        s.append("    exit ").append(NodeIpsLookup.TIMED_OUT).append('\n');
        s.append("  fi\n");
        s.append("  sleep 1\n");
        s.append("done\n");
        s.append("export CROSSJOBS_NODE_IPS\n");
    }

    private static String markerFormat(RunPhase phase, String nonce) {
        return nonce == null ? ExitMarkers.printfFormat(phase) : ExitMarkers.printfFormat(phase, nonce);
    }

    /** Single-quotes text for bash: inside single quotes only the quote itself needs care. */
    public static String quote(String text) {
        if (text == null) return "''";
        if (text.indexOf('\0') >= 0) throw new IllegalArgumentException("text contains a NUL character");
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static void exportAll(StringBuilder s, String field, Map<String, String> vars) {
        for (Map.Entry<String, String> env : new TreeMap<>(vars).entrySet()) {
            if (!ENV_NAME.matcher(env.getKey()).matches()) {
                throw new IllegalArgumentException(field + ": '" + env.getKey() + "' is not a valid variable name");
            }
            export(s, env.getKey(), quote(env.getValue()));
        }
    }

    private static void export(StringBuilder s, String name, String shellValue) {
        s.append("export ").append(name).append('=').append(shellValue).append('\n');
    }

    private StartupScript() { }
}
