package io.crossjobs.service.messaging;

/**
 * Fired (synchronously, as a CDI event) after a consumed event's handler committed: the outbox relay publishes what
 * it wrote, and a service may look again at what the change made possible (the controller's launch scheduler).
 */
public record EventHandled(String channel, String eventId) { }
