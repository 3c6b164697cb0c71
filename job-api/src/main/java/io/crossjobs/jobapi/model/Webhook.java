package io.crossjobs.jobapi.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "webhooks")
public class Webhook {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String owner;

    public boolean admin;

    public String url;

    /** Comma-separated JobStatus names; empty for all. */
    public String statuses;

    /** {@link WebhookFormat#wireName()}: crossjobs, slack or discord. */
    public String format;

    /** A chat format's message template; null: the format's default. Always null for crossjobs. */
    public String template;

    /**
     * The HMAC-SHA256 key of the signature header of the crossjobs format; shown once, at creation. Null for the
     * chat formats, whose URL is their secret.
     */
    public String secret;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;
}
