package io.crossjobs.jobapi.parked;

import io.crossjobs.events.Channels;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Sends a parked record back to its original topic as it was (key, value, headers), for its consumers to take it
 * again; the event id in its headers is unchanged, so a consumer that did handle it meanwhile skips it.
 */
@ApplicationScoped
public class ParkedEventReplayer {
    private final MutinyEmitter<String> emitter;

    public ParkedEventReplayer(@Channel(Channels.REPLAY_OUT) MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Completes when Kafka acknowledged the record. */
    public Uni<Void> replay(ParkedEventView parked) {
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, String> h : parked.headers().entrySet()) {
            headers.add(new RecordHeader(h.getKey(),
                    h.getValue() == null ? null : h.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(parked.originTopic()).withKey(parked.key()).withHeaders(headers).build();
        return emitter.sendMessage(Message.of(parked.payload()).addMetadata(kafka));
    }
}
