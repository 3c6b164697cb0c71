package io.crossjobs.controller.repository;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An event waiting for (or done with) the relay; {@code eventType} is the CloudEvents type. */
@Entity
@Table(name = "outbox")
public class OutboxEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String eventId;
    public String jobId;
    public String eventType;
    public String topic;
    public String payload;
    public Instant createdAt;
    public Instant publishedAt;
}
