package io.crossjobs.events;

/**
 * How a node ships its output to the provisioner: the startup script writes everything setup and run print (and
 * the exit marker) to a file on the node, and a background loop uploads what is new every
 * {@link #SHIP_INTERVAL_SECONDS} seconds, in chunks of at most {@link #MAX_CHUNK_BYTES}, with the cloud's
 * {@code shipFunction}. The provisioner reads the chunks back from the cloud's object storage: consoles keep too
 * little (EC2 the last 64 KB, GCE's serial port 1 MB) and are read too slowly (Azure's per-VM limits) to carry a
 * job's output whole.
 *
 * @param shipFunction bash, the body of {@code crossjobs_ship FILE OFFSET}: uploads the bytes of FILE, which start
 *                     at byte OFFSET of the node's output, with a pre-signed request (no cloud credential on the
 *                     node); exits 0 once they are stored, non-zero to be called again with the same chunk. It
 *                     must be idempotent: a chunk stored whose answer was lost is shipped again.
 */
public record OutputShipping(String shipFunction) {

    /** Azure's Append Block takes 4 MiB per call in the service versions before 2022-11-02; S3 and GCS more. */
    public static final int MAX_CHUNK_BYTES = 4 * 1024 * 1024;

    /** A node with steady output uploads one chunk this often: 1,800 uploads per hour at most. */
    public static final int SHIP_INTERVAL_SECONDS = 2;

    /** The longest {@code shipFunction} an adapter may give, so a script's size can be bounded before its cloud is known. */
    public static final int MAX_SHIP_FUNCTION_BYTES = 4096;

    public OutputShipping {
        if (shipFunction.length() > MAX_SHIP_FUNCTION_BYTES) {
            throw new IllegalArgumentException("a ship function of " + shipFunction.length()
                    + " characters is longer than the " + MAX_SHIP_FUNCTION_BYTES + " a script's size is bounded with");
        }
    }
}
