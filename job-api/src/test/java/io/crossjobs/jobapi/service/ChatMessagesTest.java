package io.crossjobs.jobapi.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.Placement;
import io.crossjobs.jobapi.model.WebhookFormat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Templates: their checks, rendering into Slack's and Discord's bodies, escaping, mentions and the length cut. */
class ChatMessagesTest {
    private static final Instant SUBMITTED = Instant.parse("2026-12-06T10:00:00Z");

    private static JobStatusChanged.Builder succeeded() {
        return JobStatusChanged.of("7").name("train").owner("alice").from(JobStatus.RUNNING).to(JobStatus.SUCCEEDED)
                .reason("run exited with code 0").exitCode(0).attempt(1).costSoFar(0.01234)
                .placement(Placement.builder().cloud("aws").region("us-east-1").zone("us-east-1a")
                        .instanceType("t3.medium").pricePerHour(0.0416).build())
                .at(SUBMITTED.plusSeconds(125));
    }

    @Test
    void theDefaultTemplatesNameTheJobItsStatusPlacementDurationAndReason() {
        assertEquals("*Job 7 (train)* SUCCEEDED on aws/us-east-1 in 2m 5s: run exited with code 0",
                ChatMessages.body(WebhookFormat.SLACK, null, succeeded().build(), SUBMITTED).get("text").asText());
        ObjectNode discord = ChatMessages.body(WebhookFormat.DISCORD, null, succeeded().build(), SUBMITTED);
        assertEquals("**Job 7 (train)** SUCCEEDED on aws/us-east-1 in 2m 5s: run exited with code 0",
                discord.get("content").asText());
        assertEquals("{\"parse\":[],\"users\":[],\"roles\":[]}", discord.get("allowed_mentions").toString());
    }

    @Test
    void everyPlaceholderRendersAndAnAbsentValueIsADash() {
        String all = String.join(" ", ChatMessages.placeholderNames().stream().map(n -> n + "={" + n + "}").toList());
        JobStatusChanged failed = succeeded().to(JobStatus.FAILED).exitCode(3)
                .failureReason(FailureReason.USER_CODE_FAILED).build();
        assertEquals("job_id=7 name=train owner=alice status=FAILED from=RUNNING reason=run exited with code 0 "
                        + "failure_reason=USER_CODE_FAILED exit_code=3 cloud=aws region=us-east-1 zone=us-east-1a "
                        + "instance_type=t3.medium attempt=1 cost=$0.0123 duration=2m 5s",
                ChatMessages.body(WebhookFormat.SLACK, all, failed, SUBMITTED).get("text").asText());
        JobStatusChanged pending = JobStatusChanged.of("8").name("x").to(JobStatus.PENDING).build();
        assertEquals("- - - - -", ChatMessages.body(WebhookFormat.DISCORD, "{from} {cloud} {exit_code} {cost} {duration}",
                pending, SUBMITTED).get("content").asText());
    }

    @Test
    void bracesDoubledAreLiteralAndPlaceholderNamesIgnoreCaseAndBlanks() {
        assertEquals("{7} SUCCEEDED }", ChatMessages.body(WebhookFormat.SLACK, "{{{job_id}}} { Status } }}",
                succeeded().build(), SUBMITTED).get("text").asText());
        assertEquals(List.of(), ChatMessages.problems("{{literal}} {STATUS}"));
    }

    @Test
    void aBadTemplateIsNamedPlaceholderByPlaceholder() {
        assertEquals(List.of("unknown placeholders {jobid}, {url}; known: {job_id}, {name}, {owner}, {status}, {from}, "
                        + "{reason}, {failure_reason}, {exit_code}, {cloud}, {region}, {zone}, {instance_type}, "
                        + "{attempt}, {cost}, {duration}"),
                ChatMessages.problems("{jobid} {status} {url}"));
        assertEquals(List.of("'{' at position 5 is not closed; write {{ for a literal {"),
                ChatMessages.problems("Job {status"));
        assertEquals(List.of("'{' at position 1 is not closed; write {{ for a literal {"),
                ChatMessages.problems("{a {status}"));
        assertEquals(List.of("'}' at position 4 closes nothing; write }} for a literal }"), ChatMessages.problems("Job}"));
        assertEquals(List.of("must not be blank"), ChatMessages.problems("  "));
        assertEquals(List.of("must not contain a NUL character"), ChatMessages.problems("{status}\0"),
                "PostgreSQL text cannot hold one");
    }

    @Test
    void slackValuesAreEscapedButTheTemplatesOwnMarkupIsNot() {
        JobStatusChanged e = succeeded().name("<!channel> & co").build();
        assertEquals("<https://ci.example.com|Job 7> &lt;!channel&gt; &amp; co",
                ChatMessages.body(WebhookFormat.SLACK, "<https://ci.example.com|Job {job_id}> {name}", e, SUBMITTED)
                        .get("text").asText());
    }

    @Test
    void discordPingsOnlyTheMentionsWrittenInTheTemplate() {
        JobStatusChanged e = succeeded().name("@everyone <@999>").build();
        ObjectNode body = ChatMessages.body(WebhookFormat.DISCORD, "<@123> <@!456> <@&789> {name} failed", e, SUBMITTED);
        assertEquals("<@123> <@!456> <@&789> @everyone <@999> failed", body.get("content").asText());
        assertEquals("{\"parse\":[],\"users\":[\"123\",\"456\"],\"roles\":[\"789\"]}",
                body.get("allowed_mentions").toString());
    }

    @Test
    void aLongMessageIsCutToTheFormatsLimit() {
        JobStatusChanged e = succeeded().reason("x".repeat(5000)).build();
        String discord = ChatMessages.body(WebhookFormat.DISCORD, "{reason}", e, SUBMITTED).get("content").asText();
        assertEquals(2000, discord.length());
        assertTrue(discord.endsWith("x…"));
        String slack = ChatMessages.body(WebhookFormat.SLACK, "{reason}", e, SUBMITTED).get("text").asText();
        assertEquals(4000, slack.length());
        assertEquals("ab…", ChatMessages.cut("ab\uD83D\uDE00cd", 4, false), "a surrogate pair is not split");
        assertEquals("a…", ChatMessages.cut("a&amp;bcdef", 5, true), "nor an escape");
        assertEquals("abc", ChatMessages.cut("abc", 3, true));
    }

    @Test
    void durationsShowTheirTwoLargestUnits() {
        assertEquals("0s", ChatMessages.duration(Duration.ofMillis(400)));
        assertEquals("59s", ChatMessages.duration(Duration.ofSeconds(59)));
        assertEquals("1m 0s", ChatMessages.duration(Duration.ofSeconds(60)));
        assertEquals("1h 3m", ChatMessages.duration(Duration.ofSeconds(3790)));
        assertEquals("2d 4h", ChatMessages.duration(Duration.ofHours(52).plusMinutes(59)));
        assertEquals("0s", ChatMessages.duration(Duration.ofSeconds(-3)), "a clock step back shows no negative time");
    }

    @Test
    void theCrossjobsFormatHasNoMessage() {
        assertThrows(IllegalArgumentException.class, () -> ChatMessages.defaultTemplate(WebhookFormat.CROSSJOBS));
    }
}
