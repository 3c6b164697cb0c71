package io.crossjobs.service.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record as a consumer's dead-letter-queue failure strategy parked it on {@link io.crossjobs.events.Topics#PARKED}:
 * the original key (a job id, for most topics), value and headers, plus where it came from and why.
 *
 * @param id            where it is parked ({@code parked-events-<partition>@<offset>}): unique, so it also serves as
 *                      the event id of what is done about it
 * @param key           the original record's key; for job events the job id
 * @param origin        the original topic, partition and offset
 * @param eventType     the CloudEvents type the original record claimed, null if it had none
 * @param headers       the original record's headers, without the dead-letter ones
 */
public record ParkedRecord(String id, String key, Origin origin, String reason, String cause, String eventType,
                           String payload, Map<String, String> headers, Instant parkedAt) {
    private static final String DEAD_LETTER = "dead-letter-";

    public record Origin(String topic, int partition, long offset) {
        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** Null when {@code message} did not come from Kafka. */
    public static ParkedRecord of(Message<String> message) {
        IncomingKafkaRecordMetadata<?, ?> kafka = message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        if (kafka == null) return null;
        Headers all = kafka.getHeaders();
        Map<String, String> original = new LinkedHashMap<>();
        for (Header h : all) {
            if (!h.key().startsWith(DEAD_LETTER)) original.put(h.key(), text(h));
        }
        Origin origin = new Origin(header(all, "dead-letter-topic"), parseInt(header(all, "dead-letter-partition")),
                parseLong(header(all, "dead-letter-offset")));
        return new ParkedRecord(kafka.getTopic() + "-" + kafka.getPartition() + "@" + kafka.getOffset(),
                kafka.getKey() == null ? null : String.valueOf(kafka.getKey()), origin,
                header(all, "dead-letter-reason"), header(all, "dead-letter-cause"), original.get("ce_type"),
                message.getPayload(), original, kafka.getTimestamp());
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : text(h);
    }

    private static String text(Header h) {
        return h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static int parseInt(String s) {
        return s == null ? -1 : Integer.parseInt(s.trim());
    }

    private static long parseLong(String s) {
        return s == null ? -1 : Long.parseLong(s.trim());
    }
}
