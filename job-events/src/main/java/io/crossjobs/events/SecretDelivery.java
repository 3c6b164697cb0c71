package io.crossjobs.events;

/**
 * How a node gets the task's secrets without them travelling in user data, which anyone allowed to describe the
 * instance can read: the provisioner stores them, for this node only, in the cloud's object storage, and the script
 * fetches them once with a short-lived pre-signed request and deletes them. What the user data carries is that
 * request, useless once the node has fetched and deleted the secrets or once it has expired.
 *
 * @param fetchFunction bash, the body of {@code crossjobs_fetch_secrets FILE}: writes the stored secrets (lines
 *                      {@code export NAME='value'}, see {@link StartupScript#secretsFile}) to FILE, then deletes
 *                      them from storage; exits 0 once FILE holds them, non-zero to be called again. No cloud
 *                      credential may appear in it.
 */
public record SecretDelivery(String fetchFunction) {

    /** The longest {@code fetchFunction} an adapter may give, so a script's size can be bounded before its cloud is known. */
    public static final int MAX_FETCH_FUNCTION_BYTES = 4096;

    /** A node that cannot fetch its secrets after this many tries, 5 s apart, ends with {@link #UNAVAILABLE}. */
    public static final int FETCH_TRIES = 24;

    /** The setup exit code of a node that could not fetch its secrets. */
    public static final int UNAVAILABLE = 125;

    public SecretDelivery {
        if (fetchFunction.length() > MAX_FETCH_FUNCTION_BYTES) {
            throw new IllegalArgumentException("a fetch function of " + fetchFunction.length()
                    + " characters is longer than the " + MAX_FETCH_FUNCTION_BYTES + " a script's size is bounded with");
        }
    }
}
