package io.crossjobs.service.messaging;

/**
 * The inbox table: the CloudEvents ids a service has handled, each written in the transaction of its effect, so a
 * redelivered event finds its id and changes nothing. Handlers write it inside their own statements (a common
 * table expression that also decides whether the effect happens) with {@link #recordFirst}.
 */
public final class Inbox {

    /**
     * The insert that records an event once: it returns the event id only on the first delivery. The arguments are
     * the statement's expressions for each column, e.g. {@code recordFirst("$1", "$2", "$3", "$4")}.
     */
    public static String recordFirst(String eventId, String eventType, String jobId, String processedAt) {
        return "insert into inbox (event_id, event_type, job_id, processed_at) values (" + eventId + ", " + eventType
                + ", " + jobId + ", " + processedAt + ") on conflict (event_id) do nothing returning event_id";
    }

    private Inbox() { }
}
