package io.crossjobs.controller.repository;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A CloudEvents id this service has processed. */
@Entity
@Table(name = "inbox")
public class InboxEntity {
    @Id
    public String eventId;
    public String eventType;
    public String jobId;
    public Instant processedAt;
}
