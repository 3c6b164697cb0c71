package io.crossjobs.jobapi.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.Placement;
import io.crossjobs.jobapi.model.WebhookFormat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The chat message of a status change: a template with named placeholders ({@code {job_id}}, {@code {status}}, ...;
 * a doubled brace is a literal one), rendered from the event and put in the body Slack or Discord expects. Pure: no
 * I/O.
 *
 * <ul>
 *   <li>Slack: {@code {"text": ...}}; the values put in (a job's name, a reason) have {@code &}, {@code <} and
 *       {@code >} escaped as Slack asks, so they cannot form links or mentions; the template's own text is sent as
 *       written (its mrkdwn, links and mentions work).</li>
 *   <li>Discord: {@code {"content": ..., "allowed_mentions": {...}}}: only the user and role mentions written in the
 *       template itself ({@code <@id>}, {@code <@&id>}) notify anyone; a value that reads {@code @everyone} does not.</li>
 * </ul>
 * The text is cut to the format's {@link WebhookFormat#maxText()}, ending with "…".
 */
public final class ChatMessages {
    public static final int TEMPLATE_MAX_LENGTH = 2000;
    private static final String ABSENT = "-";
    private static final Pattern DISCORD_USER = Pattern.compile("<@!?(\\d+)>");
    private static final Pattern DISCORD_ROLE = Pattern.compile("<@&(\\d+)>");

    /** What a placeholder stands for, given the event and when its job was submitted. */
    private record Facts(JobStatusChanged event, Instant submittedAt) {
        Placement placement() {
            return event.placement();
        }
    }

    private static final Map<String, Function<Facts, Object>> PLACEHOLDERS = placeholders();

    private static Map<String, Function<Facts, Object>> placeholders() {
        Map<String, Function<Facts, Object>> p = new LinkedHashMap<>();
        p.put("job_id", f -> f.event().jobId());
        p.put("name", f -> f.event().name());
        p.put("owner", f -> f.event().owner());
        p.put("status", f -> f.event().to());
        p.put("from", f -> f.event().from());
        p.put("reason", f -> f.event().reason());
        p.put("failure_reason", f -> f.event().failureReason());
        p.put("exit_code", f -> f.event().exitCode());
        p.put("cloud", f -> f.placement() == null ? null : f.placement().cloud());
        p.put("region", f -> f.placement() == null ? null : f.placement().region());
        p.put("zone", f -> f.placement() == null ? null : f.placement().zone());
        p.put("instance_type", f -> f.placement() == null ? null : f.placement().instanceType());
        p.put("attempt", f -> f.event().attempt());
        p.put("cost", f -> f.event().costSoFar() == null ? null
                : String.format(Locale.ROOT, "$%.4f", f.event().costSoFar()));
        p.put("duration", f -> f.submittedAt() == null || f.event().at() == null ? null
                : duration(Duration.between(f.submittedAt(), f.event().at())));
        return Collections.unmodifiableMap(p);
    }

    /** The placeholders a template may use, in the order the README lists them. */
    public static Set<String> placeholderNames() {
        return PLACEHOLDERS.keySet();
    }

    /** The template of a chat format's webhook registered without one. */
    public static String defaultTemplate(WebhookFormat format) {
        String bold = switch (format) {
            case SLACK -> "*";
            case DISCORD -> "**";
            case CROSSJOBS -> throw new IllegalArgumentException("the crossjobs format has no template");
        };
        return bold + "Job {job_id} ({name})" + bold + " {status} on {cloud}/{region} in {duration}: {reason}";
    }

    /** What is wrong with a template, each a message for the field {@code template}; empty when it is fine. */
    public static List<String> problems(String template) {
        List<String> problems = new ArrayList<>();
        if (template.isBlank()) problems.add("must not be blank");
        if (template.indexOf('\0') >= 0) problems.add("must not contain a NUL character");
        Set<String> unknown = new LinkedHashSet<>();
        parse(template, problems, unknown);
        if (!unknown.isEmpty()) {
            problems.add((unknown.size() == 1 ? "unknown placeholder " : "unknown placeholders ")
                    + unknown.stream().map(n -> "{" + n + "}").collect(Collectors.joining(", ")) + "; known: "
                    + PLACEHOLDERS.keySet().stream().map(n -> "{" + n + "}").collect(Collectors.joining(", ")));
        }
        return problems;
    }

    /**
     * The JSON body of a chat webhook's delivery of {@code event}. {@code template} null: the format's default;
     * {@code submittedAt}: when the job was submitted ({@code {duration}} runs from it to the change).
     */
    public static ObjectNode body(WebhookFormat format, String template, JobStatusChanged event, Instant submittedAt) {
        List<Part> parts = parse(template == null ? defaultTemplate(format) : template, null, null);
        Facts facts = new Facts(event, submittedAt);
        StringBuilder text = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (Part part : parts) {
            if (part.placeholder() == null) {
                text.append(part.text());
                literal.append(part.text()).append('\n');
            } else {
                Object value = PLACEHOLDERS.get(part.placeholder()).apply(facts);
                String shown = value == null ? ABSENT : value.toString();
                text.append(format == WebhookFormat.SLACK ? slackEscape(shown) : shown);
            }
        }
        String cut = cut(text.toString(), format.maxText(), format == WebhookFormat.SLACK);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        switch (format) {
            case SLACK -> body.put("text", cut);
            case DISCORD -> {
                body.put("content", cut);
                ObjectNode mentions = body.putObject("allowed_mentions");
                mentions.putArray("parse");
                ArrayNode users = mentions.putArray("users");
                ArrayNode roles = mentions.putArray("roles");
                ids(DISCORD_USER, literal).forEach(users::add);
                ids(DISCORD_ROLE, literal).forEach(roles::add);
            }
            case CROSSJOBS -> throw new IllegalArgumentException("the crossjobs format sends the event itself");
        }
        return body;
    }

    /** "45s", "2m 5s", "1h 3m", "2d 4h": the two largest units. */
    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m " + (s % 60) + "s";
        if (s < 86_400) return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        return (s / 86_400) + "d " + (s % 86_400 / 3600) + "h";
    }

    /** One piece of a template: literal text, or a placeholder's name. */
    private record Part(String text, String placeholder) { }

    /**
     * The template's parts. {@code problems} and {@code unknown}, when given, collect what is wrong; when not, the
     * template is one {@link #problems} accepted.
     */
    private static List<Part> parse(String template, List<String> problems, Set<String> unknown) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < template.length() && template.charAt(i + 1) == c) {
                literal.append(c);
                i += 2;
            } else if (c == '}') {
                if (problems != null) {
                    problems.add("'}' at position " + (i + 1) + " closes nothing; write }} for a literal }");
                }
                i++;
            } else if (c == '{') {
                int end = template.indexOf('}', i + 1);
                int nextOpen = template.indexOf('{', i + 1);
                if (end < 0 || (nextOpen >= 0 && nextOpen < end)) {
                    if (problems != null) {
                        problems.add("'{' at position " + (i + 1) + " is not closed; write {{ for a literal {");
                    }
                    i++;
                    continue;
                }
                String name = template.substring(i + 1, end).trim().toLowerCase(Locale.ROOT);
                if (!PLACEHOLDERS.containsKey(name)) {
                    if (unknown != null) unknown.add(template.substring(i + 1, end));
                } else {
                    if (!literal.isEmpty()) parts.add(new Part(literal.toString(), null));
                    literal.setLength(0);
                    parts.add(new Part(null, name));
                }
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty()) parts.add(new Part(literal.toString(), null));
        return parts;
    }

    /** Slack's three control characters in text; everything else is sent as it is. */
    private static String slackEscape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * {@code text} whole when it fits in {@code max} UTF-16 units; else its start and "…", never splitting a surrogate
     * pair nor (with {@code entities}) an escape such as {@code &amp;}.
     */
    static String cut(String text, int max, boolean entities) {
        if (text.length() <= max) return text;
        int end = max - 1;
        if (Character.isLowSurrogate(text.charAt(end)) && Character.isHighSurrogate(text.charAt(end - 1))) end--;
        if (entities) {
            int amp = text.lastIndexOf('&', end - 1);
            // an escape is at most 5 characters (&amp;): one begun just before the cut and ended after it goes whole
            if (amp >= 0 && end - amp < 5 && text.indexOf(';', amp) >= end) end = amp;
        }
        return text.substring(0, end) + "…";
    }

    private static Set<String> ids(Pattern mention, CharSequence literal) {
        Set<String> ids = new LinkedHashSet<>();
        Matcher m = mention.matcher(literal);
        while (m.find()) ids.add(m.group(1));
        return ids;
    }

    private ChatMessages() { }
}
