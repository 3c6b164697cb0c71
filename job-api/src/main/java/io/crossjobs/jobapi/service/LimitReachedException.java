package io.crossjobs.jobapi.service;

/**
 * A request over one of the API's caps ({@code jobapi.limits.*}): {@code limitName} is the cap's setting name,
 * {@code usage} what the caller holds of it now; answered with {@code status} (429 or 409).
 */
public class LimitReachedException extends RuntimeException {
    private final String limitName;
    private final long limit;
    private final long usage;
    private final int status;
    private final String title;

    public LimitReachedException(Cap cap, long limit, long usage, String message) {
        super(message);
        this.limitName = cap.setting;
        this.limit = limit;
        this.usage = usage;
        this.status = cap.status;
        this.title = cap.title;
    }

    /** The caps, each with its setting's name and the status a request over it is answered with. */
    public enum Cap {
        /** Concurrent live streams and log follows of one token: it may open another once one closes. */
        STREAMS_PER_TOKEN("streams-per-token", 429, "Too Many Streams"),
        /** Webhooks of one user: another only after one is deleted. */
        WEBHOOKS_PER_USER("webhooks-per-user", 409, "Too Many Webhooks");

        private final String setting;
        private final int status;
        private final String title;

        Cap(String setting, int status, String title) {
            this.setting = setting;
            this.status = status;
            this.title = title;
        }
    }

    public String limitName() { return limitName; }

    public long limit() { return limit; }

    public long usage() { return usage; }

    public int status() { return status; }

    public String title() { return title; }
}
