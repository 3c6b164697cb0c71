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
     * before boot; when empty, a one-node cluster uses its own address (a multi-node cluster needs the overload
     * with a {@link NodeIpsLookup}; without one it gets only its own address).
     *
     * @throws IllegalArgumentException for an env name that is not a shell variable name, or a NUL character
     */
    public static String render(LaunchCluster launch, int rank, List<String> nodeIps) {
        return render(launch, rank, nodeIps, Map.of());
    }

    /**
     * As above, also exporting the task's opened secrets. The script never echoes a command (no {@code set -x}),
     * so the values reach the environment of setup and run but not the console.
     */
    public static String render(LaunchCluster launch, int rank, List<String> nodeIps, Map<String, String> secrets) {
        return render(launch, rank, nodeIps, secrets, null, null);
    }

    /**
     * As above; a multi-node cluster without {@code nodeIps} waits, before setup, until its metadata holds all
     * nodes' addresses ({@code lookup}), and gives up after the lookup's timeout with a setup-exit marker.
     */
    public static String render(LaunchCluster launch, int rank, List<String> nodeIps, Map<String, String> secrets,
                                NodeIpsLookup lookup) {
        return render(launch, rank, nodeIps, secrets, lookup, null);
    }

    /**
     * As above, with exit markers signed by {@code exitNonce} (see {@link ExitMarkers#printfFormat(RunPhase,
     * String)}); null prints unsigned markers. The nonce appears only inside the printf lines of this script,
     * never in a variable, so setup and run do not inherit it.
     */
    public static String render(LaunchCluster launch, int rank, List<String> nodeIps, Map<String, String> secrets,
                                String exitNonce) {
        return render(launch, rank, nodeIps, secrets, null, exitNonce);
    }

    /** Both of the above: waits for the nodes' addresses when {@code lookup} is given, signs with the nonce. */
    public static String render(LaunchCluster launch, int rank, List<String> nodeIps, Map<String, String> secrets,
                                NodeIpsLookup lookup, String exitNonce) {
        StringBuilder s = new StringBuilder(512);
        s.append("#!/bin/bash\n");
        s.append("# crossjobs node ").append(rank).append(" of ").append(launch.numNodes())
                .append(", attempt ").append(launch.attempt()).append('\n');
        s.append("exec 2>&1\n");
        // the user's envs and secrets first, so they cannot shadow the node environment below
        exportAll(s, "envs", launch.envs());
        exportAll(s, "secrets", secrets);
        export(s, "CROSSJOBS_JOB_ID", quote(launch.jobId()));
        export(s, "CROSSJOBS_TASK_ID", quote(launch.taskId() == null ? launch.jobId() : launch.taskId()));
        export(s, "CROSSJOBS_NODE_RANK", Integer.toString(rank));
        export(s, "CROSSJOBS_NUM_NODES", Integer.toString(launch.numNodes()));
        if (nodeIps.isEmpty() && launch.numNodes() > 1 && lookup != null) {
            awaitNodeIps(s, launch.numNodes(), lookup, exitNonce);
        } else if (nodeIps.isEmpty()) {
            s.append("CROSSJOBS_NODE_IPS=$(hostname -I 2>/dev/null | awk '{print $1}')\n");
            export(s, "CROSSJOBS_NODE_IPS", "${CROSSJOBS_NODE_IPS:-127.0.0.1}");
        } else {
            export(s, "CROSSJOBS_NODE_IPS", quote(String.join("\n", nodeIps)));
        }
        export(s, "SKYPILOT_TASK_ID", "\"$CROSSJOBS_TASK_ID\"");
        export(s, "SKYPILOT_NODE_RANK", "\"$CROSSJOBS_NODE_RANK\"");
        export(s, "SKYPILOT_NUM_NODES", "\"$CROSSJOBS_NUM_NODES\"");
        export(s, "SKYPILOT_NODE_IPS", "\"$CROSSJOBS_NODE_IPS\"");

        if (launch.setup() != null && !launch.setup().isBlank()) {
            s.append("bash -c ").append(quote(launch.setup())).append(" </dev/null\n");
            s.append("crossjobs_rc=$?\n");
            s.append("if [ \"$crossjobs_rc\" -ne 0 ]; then\n");
            s.append("  printf '").append(markerFormat(RunPhase.SETUP, exitNonce)).append("' \"$crossjobs_rc\"\n");
            s.append("  exit \"$crossjobs_rc\"\n");
            s.append("fi\n");
        }
        String run = launch.run() == null || launch.run().isBlank() ? "true" : launch.run();
        s.append("bash -c ").append(quote(run)).append(" </dev/null\n");
        s.append("crossjobs_rc=$?\n");
        s.append("printf '").append(markerFormat(RunPhase.RUN, exitNonce)).append("' \"$crossjobs_rc\"\n");
        s.append("exit \"$crossjobs_rc\"\n");
        return s.toString();
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
    static String quote(String text) {
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
