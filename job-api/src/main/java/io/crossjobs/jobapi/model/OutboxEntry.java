package io.crossjobs.jobapi.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * An event accepted in the same transaction as the state change it announces, waiting for the relay.
 * The id orders publication; the event id stays the same on every re-send, so consumers can deduplicate.
 */
@Entity
@Table(name = "outbox")
public class OutboxEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id")
    public UUID eventId;

    /** The CloudEvents type, e.g. {@code crossjobs.job.submitted.v1}. */
    @Column(name = "event_type")
    public String eventType;

    @Column(name = "job_id")
    public String jobId;

    /** The event encoded by {@link io.crossjobs.events.EventCodec}. */
    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The topic the row goes to; null for the relay channel's own, job-requests. */
    public String topic;

    @Column(name = "published_at")
    public Instant publishedAt;
}
