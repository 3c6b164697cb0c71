package io.crossjobs.events;

import java.util.List;

/**
 * What a node's startup script needs beyond the task ({@link StartupScript#render(LaunchCluster, int, ScriptOptions)}).
 *
 * @param nodeIps   every node's private IP, head first, when known before boot; when empty, a one-node cluster uses
 *                  its own address and a multi-node cluster waits for them with {@code lookup}
 * @param secrets   how the node fetches the task's secrets; null: the task has none
 * @param lookup    how a node of a multi-node cluster reads every node's address from its own metadata; null: a node
 *                  without {@code nodeIps} gets only its own address
 * @param exitNonce signs the exit markers (see {@link ExitMarkers#printfFormat(RunPhase, String)}); null prints
 *                  unsigned markers
 * @param shipping  how the node ships its output to object storage; null: the output goes to the console
 */
public record ScriptOptions(List<String> nodeIps, SecretDelivery secrets, NodeIpsLookup lookup, String exitNonce,
                            OutputShipping shipping) {

    public ScriptOptions {
        nodeIps = List.copyOf(nodeIps);
    }

    public static ScriptOptions defaults() {
        return new ScriptOptions(List.of(), null, null, null, null);
    }

    public ScriptOptions withNodeIps(List<String> ips) {
        return new ScriptOptions(ips, secrets, lookup, exitNonce, shipping);
    }

    public ScriptOptions withSecrets(SecretDelivery delivery) {
        return new ScriptOptions(nodeIps, delivery, lookup, exitNonce, shipping);
    }

    public ScriptOptions withLookup(NodeIpsLookup nodeIpsLookup) {
        return new ScriptOptions(nodeIps, secrets, nodeIpsLookup, exitNonce, shipping);
    }

    public ScriptOptions withExitNonce(String nonce) {
        return new ScriptOptions(nodeIps, secrets, lookup, nonce, shipping);
    }

    public ScriptOptions withShipping(OutputShipping outputShipping) {
        return new ScriptOptions(nodeIps, secrets, lookup, exitNonce, outputShipping);
    }
}
