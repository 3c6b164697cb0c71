package io.crossjobs.jobapi.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a webhook's deliveries look like: {@code crossjobs}, the signed CloudEvent; {@code slack}, a Slack incoming
 * webhook message ({@code {"text": ...}}); {@code discord}, a Discord execute-webhook message
 * ({@code {"content": ...}}). The chat formats carry a text rendered from the webhook's template, cut to
 * {@link #maxText()} characters.
 */
public enum WebhookFormat {
    CROSSJOBS(0),
    /** Slack truncates a message's text above 40,000 characters and recommends at most 4,000. */
    SLACK(4000),
    /** Discord refuses a {@code content} over 2,000 characters. */
    DISCORD(2000);

    private final int maxText;

    WebhookFormat(int maxText) {
        this.maxText = maxText;
    }

    /** The name clients write and read: {@code crossjobs}, {@code slack}, {@code discord}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isChat() {
        return this != CROSSJOBS;
    }

    /** The longest text a chat message of this format carries; 0 for {@code crossjobs}. */
    public int maxText() {
        return maxText;
    }

    /** The format a client wrote (any case, surrounding blanks ignored), if it is one. */
    public static Optional<WebhookFormat> parse(String written) {
        String name = written.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.name().equals(name)).findFirst();
    }

    /** "crossjobs, slack, discord" */
    public static String known() {
        return Arrays.stream(values()).map(WebhookFormat::wireName).collect(Collectors.joining(", "));
    }
}
