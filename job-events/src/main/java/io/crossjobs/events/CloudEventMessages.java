package io.crossjobs.events;

import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Wraps events as CloudEvents (binary mode: {@code ce_*} Kafka headers, JSON value) keyed by job id, and
 * reads them back. The event id is the consumers' deduplication key, so a relay that re-sends a stored
 * event must reuse its id.
 */
public final class CloudEventMessages {

    public static Message<String> wrap(String source, JobEvent event) {
        return wrap(UUID.randomUUID().toString(), source, event, Instant.now());
    }

    public static Message<String> wrap(String eventId, String source, JobEvent event, Instant time) {
        return wrap(eventId, source, EventType.of(event), event.jobId(), EventCodec.encode(event), time);
    }

    /** For relays that stored the event already encoded; the channel's default topic. */
    public static Message<String> wrap(String eventId, String source, EventType type, String jobId, String json,
                                       Instant time) {
        return wrap(eventId, source, type, jobId, json, time, null);
    }

    /** As above, sent to {@code topic} instead of the channel's default topic when it is not null. */
    public static Message<String> wrap(String eventId, String source, EventType type, String jobId, String json,
                                       Instant time, String topic) {
        OutgoingCloudEventMetadata<String> ce = OutgoingCloudEventMetadata.<String>builder()
                .withId(eventId)
                .withSource(URI.create(source))
                .withType(type.ceType())
                .withSubject(jobId)
                .withDataContentType("application/json")
                .withTimestamp(time.atZone(ZoneOffset.UTC))
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(jobId)
                .withTopic(topic).build();
        return Message.of(json).addMetadata(ce).addMetadata(kafka);
    }

    /** The decoded event, or a {@link MalformedEventException} for a record without a known CloudEvents type. */
    public static JobEvent unwrap(Message<String> message) {
        IncomingCloudEventMetadata<?> ce = message.getMetadata(IncomingCloudEventMetadata.class)
                .orElseThrow(() -> new MalformedEventException("record carries no CloudEvents headers", null));
        return EventCodec.decode(ce.getType(), message.getPayload());
    }

    public static String eventId(Message<?> message) {
        return message.getMetadata(IncomingCloudEventMetadata.class).map(IncomingCloudEventMetadata::getId)
                .orElseThrow(() -> new MalformedEventException("record carries no CloudEvents id", null));
    }

    private CloudEventMessages() { }
}
