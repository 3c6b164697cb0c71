package io.crossjobs.events;

import java.time.Duration;

/**
 * How a node of a multi-node cluster learns every node's address without calling the control plane: the
 * provisioner writes the list into the instances' cloud metadata once all nodes have private IPs, and the
 * startup script polls its own metadata service with {@code readCommand} until the list is complete.
 *
 * @param readCommand bash that prints the {@code crossjobs-node-ips} value (space-separated addresses, rank
 *                    order) as this node's metadata service shows it, and nothing while it is unset
 * @param timeout     how long a node waits for the complete list before it gives up with a setup failure
 */
public record NodeIpsLookup(String readCommand, Duration timeout) {

    public NodeIpsLookup {
        if (readCommand.length() > MAX_READ_COMMAND_BYTES) {
            throw new IllegalArgumentException("a node-IPs read command of " + readCommand.length()
                    + " characters is longer than the " + MAX_READ_COMMAND_BYTES + " a script's size is bounded with");
        }
    }

    /** The longest {@code readCommand} an adapter may give, so a script's size can be bounded before its cloud is known. */
    public static final int MAX_READ_COMMAND_BYTES = 1024;

    /** Exit code (and setup-exit marker) of a node that gave up waiting, as timeout(1) uses. */
    public static final int TIMED_OUT = 124;
}
