package io.crossjobs.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON form of every event. Unknown fields are ignored on read so that a newer producer (which may
 * add fields, never repurpose them) does not break an older consumer.
 */
public final class EventCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    public static String encode(JobEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    public static JobEvent decode(EventType type, String json) {
        try {
            return MAPPER.readValue(json, type.recordClass());
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("cannot decode " + type.ceType() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static JobEvent decode(String ceType, String json) {
        EventType type = EventType.ofCeType(ceType)
                .orElseThrow(() -> new MalformedEventException("unknown event type " + ceType, null));
        return decode(type, json);
    }

    private EventCodec() { }
}
