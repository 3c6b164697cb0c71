package io.crossjobs.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventCodecTest {
    private static final Instant AT = Instant.parse("2026-11-28T10:15:30Z");

    @Test
    void everyEventTypeRoundTrips() {
        Placement placement = Placement.builder().cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceType("m6i.large").pricePerHour(0.096).build();
        Resources alternative = Resources.builder().cloud("gcp").accelerators(List.of("A100:1")).useSpot(true).build();
        Resources resources = Resources.builder().cloud("aws").cpus("2+").accelerators(List.of("A100:1", "V100:1"))
                .acceleratorsInOrder(true).useSpot(false).diskSizeGb(100).anyOf(List.of(alternative))
                .jobRecovery(new JobRecovery(JobRecovery.FAILOVER, 2, List.of(137), true)).maxDurationSeconds(7200L)
                .keepOnFailureSeconds(1800L).build();
        TaskSpec task = new TaskSpec("hello", resources, 1, Map.of("K", "V"), Map.of("TOKEN", "v1:sealed"), null,
                "echo hello");
        List<JobEvent> events = List.of(
                new JobSubmitted("42", "hello", "alice", task, AT, List.of(task, task), 900),
                new CancelRequested("42", "alice", AT),
                new LaunchCluster("42", 1, "cj-42-1", "crossjobs-42", placement, 1, Map.of("K", "V"), null, "echo hi")
                        .withTimeLimit(new TimeLimit(7200, 3000, 30)),
                TerminateCluster.of("42").attempt(1).clusterName("cj-42-1").cloud("aws").region("us-east-1")
                        .reason("job finished").build(),
                ClusterProgress.of("42").attempt(1).clusterName("cj-42-1").state(ClusterState.RUNNING).cloud("aws")
                        .region("us-east-1").zone("us-east-1a").instanceIds(List.of("i-1")).at(AT).build(),
                new JobExited("42", 1, "cj-42-1", RunPhase.RUN, 3, AT,
                        List.of(new OutputEnd(0, 4096), new OutputEnd(1, 0))),
                ClusterPreempted.of("42").attempt(1).clusterName("cj-42-1").cloud("aws").region("us-east-1")
                        .zone("us-east-1a").message("spot").at(AT).build(),
                LaunchFailed.of("42").attempt(1).clusterName("cj-42-1").cloud("aws").region("us-east-1")
                        .zone("us-east-1a").errorClass(ErrorClass.CAPACITY).scope(BlockScope.ZONE)
                        .errorCode("InsufficientInstanceCapacity").message("no capacity").at(AT).build(),
                ClusterFound.of("42").attempt(1).clusterName("cj-42-1").cloud("aws").region("us-east-1")
                        .zone("us-east-1a").instanceIds(List.of("i-1", "i-2")).at(AT).build(),
                new LogChunk("42", 1, 0, 128, "hello\n"),
                everyStatusField(placement),
                ControllerHeartbeat.of("controller-1a2b3c4d").generation(2).clusterName("cj-controller-1a2b3c4d-2")
                        .process("4242@vm").ready(true).assignedPartitions(8).startedAt(AT).at(AT).build(),
                new CheckAccount("check-1", "aws"),
                new AccountChecked("check-1", "aws", AT, List.of(
                        AccountChecked.Finding.ok(CheckAspect.CREDENTIALS, "account 123456789012"),
                        AccountChecked.Finding.failed(CheckAspect.PERMISSIONS, "ec2:RunInstances is denied",
                                "attach the policy"))),
                new OutputStored("42", 1, AT),
                new ReleaseHoldRequested("42", "alice", AT));
        assertEquals(EventType.values().length, events.size(), "one sample per event type");
        for (JobEvent e : events) {
            EventType type = EventType.of(e);
            assertEquals(e, EventCodec.decode(type.ceType(), EventCodec.encode(e)));
        }
    }

    /** The subscribers' contract (README, "the job-status topic"): these names and JSON types, each field in its place. */
    @Test
    void aStatusChangeKeepsItsWireForm() {
        Placement placement = Placement.builder().cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceType("m6i.large").spot(true).pricePerHour(0.096).build();
        assertEquals("{\"jobId\":\"42\",\"name\":\"hello\",\"owner\":\"alice\",\"from\":\"RUNNING\","
                        + "\"to\":\"FAILED\",\"reason\":\"exit 3\",\"failureReason\":\"USER_CODE_FAILED\",\"exitCode\":3,"
                        + "\"attempt\":4,\"recoveryCount\":5,\"placement\":{\"cloud\":\"aws\",\"region\":\"us-east-1\","
                        + "\"zone\":\"us-east-1a\",\"instanceType\":\"m6i.large\",\"spot\":true,\"pricePerHour\":0.096},"
                        + "\"at\":\"2026-11-28T10:15:30Z\",\"restartCount\":2,\"costSoFar\":0.0123,\"taskIndex\":1,"
                        + "\"taskCount\":6,\"hold\":{\"until\":\"2026-11-28T10:45:30Z\",\"clusterName\":\"cj-42-4\","
                        + "\"instanceIds\":[\"i-1\",\"i-2\"]}}",
                EventCodec.encode(everyStatusField(placement)));
        assertEquals("{\"jobId\":\"7\",\"to\":\"PENDING\",\"attempt\":0,\"recoveryCount\":0,\"restartCount\":0,"
                + "\"taskIndex\":0,\"taskCount\":1}", EventCodec.encode(JobStatusChanged.of("7").to(JobStatus.PENDING).build()),
                "fields not set are absent or 0, one task");
    }

    /** Every field set, numbers all different, so a setter that fills another field shows. */
    private static JobStatusChanged everyStatusField(Placement placement) {
        return JobStatusChanged.of("42").name("hello").owner("alice").from(JobStatus.RUNNING).to(JobStatus.FAILED)
                .reason("exit 3").failureReason(FailureReason.USER_CODE_FAILED).exitCode(3).attempt(4)
                .recoveryCount(5).placement(placement).at(AT).restartCount(2).costSoFar(0.0123).taskIndex(1)
                .taskCount(6).hold(new ClusterHold(AT.plusSeconds(1800), "cj-42-4", List.of("i-1", "i-2"))).build();
    }

    /** A placement travels in LaunchCluster and JobStatusChanged: these names, in this order. */
    @Test
    void aPlacementKeepsItsWireForm() throws Exception {
        Placement gpu = Placement.builder().cloud("gcp").region("europe-west4").zone("europe-west4-a")
                .instanceType("a2-highgpu-1g").spot(true).pricePerHour(1.25).accelerator(new Accelerator("A100", 2))
                .diskSizeGb(150).build();
        assertEquals("{\"cloud\":\"gcp\",\"region\":\"europe-west4\",\"zone\":\"europe-west4-a\","
                        + "\"instanceType\":\"a2-highgpu-1g\",\"spot\":true,\"pricePerHour\":1.25,"
                        + "\"accelerator\":{\"name\":\"A100\",\"count\":2},\"diskSizeGb\":150}",
                encodedPlacement(gpu));
        assertEquals("{\"cloud\":\"aws\",\"spot\":false,\"pricePerHour\":0.0}",
                encodedPlacement(Placement.builder().cloud("aws").build()), "fields not set are absent, false or 0");
    }

    /** The placement of a LaunchCluster as EventCodec writes it. */
    private static String encodedPlacement(Placement placement) throws Exception {
        String json = EventCodec.encode(new LaunchCluster("42", 1, "cj-42-1", "crossjobs-42", placement, 1, Map.of(),
                null, "true"));
        return new ObjectMapper().readTree(json).get("placement").toString();
    }

    /** Jobs stored before time limits keep reading: no limit, and recoveries do not reset one. */
    @Test
    void aRecoveryWrittenBeforeTimeLimitsReadsAsNotResetting() throws Exception {
        JobRecovery recovery = new ObjectMapper().readValue(
                "{\"strategy\":\"FAILOVER\",\"maxRestartsOnErrors\":2,\"recoverOnExitCodes\":[137]}", JobRecovery.class);

        assertEquals(new JobRecovery(JobRecovery.FAILOVER, 2, List.of(137), false), recovery);
    }

    /** A task's resources travel in JobSubmitted and are stored with the job: these names, in this order. */
    @Test
    void resourcesKeepTheirWireForm() throws Exception {
        Resources alternative = Resources.builder().cloud("gcp").build();
        Resources resources = Resources.builder().cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceType("p3.2xlarge").cpus("8+").memory("61+").accelerators(List.of("V100:1", "T4:1"))
                .acceleratorsInOrder(true).useSpot(true).diskSizeGb(512).anyOf(List.of(alternative))
                .ordered(List.of(Resources.builder().cloud("azure").build()))
                .jobRecovery(new JobRecovery(JobRecovery.FAILOVER, 2, List.of(137), true)).labels(Map.of("team", "ml"))
                .maxDurationSeconds(7200L).build();
        assertEquals("{\"cloud\":\"aws\",\"region\":\"us-east-1\",\"zone\":\"us-east-1a\","
                        + "\"instanceType\":\"p3.2xlarge\",\"cpus\":\"8+\",\"memory\":\"61+\","
                        + "\"accelerators\":[\"V100:1\",\"T4:1\"],\"acceleratorsInOrder\":true,\"useSpot\":true,"
                        + "\"diskSizeGb\":512,\"anyOf\":[" + EMPTY_RESOURCES.formatted("gcp") + "],"
                        + "\"ordered\":[" + EMPTY_RESOURCES.formatted("azure") + "],"
                        + "\"jobRecovery\":{\"strategy\":\"FAILOVER\",\"maxRestartsOnErrors\":2,"
                        + "\"recoverOnExitCodes\":[137],\"resetMaxDuration\":true},\"labels\":{\"team\":\"ml\"},"
                        + "\"maxDurationSeconds\":7200}",
                encodedTask(resources).get("resources").toString());
        assertEquals(EMPTY_RESOURCES.formatted("gcp"), encodedTask(alternative).get("resources").toString(),
                "fields not set are absent, empty or false");
    }

    /** Resources with only a cloud, as the JSON codec writes them. */
    private static final String EMPTY_RESOURCES = "{\"cloud\":\"%s\",\"accelerators\":[],\"acceleratorsInOrder\":false,"
            + "\"anyOf\":[],\"ordered\":[],\"labels\":{}}";

    /** The task of a JobSubmitted as EventCodec writes it, read back as a JSON tree. */
    private static JsonNode encodedTask(Resources resources) throws Exception {
        TaskSpec task = new TaskSpec("t", resources, 1, Map.of(), null, "true");
        String json = EventCodec.encode(new JobSubmitted("42", "t", "alice", task, AT, List.of(task), 900));
        return new ObjectMapper().readTree(json).get("task");
    }

    /** provision-events as the controller reads them: these names, in this order. */
    @Test
    void clusterProgressKeepsItsWireForm() {
        assertEquals("{\"jobId\":\"42\",\"attempt\":3,\"clusterName\":\"cj-42-3\",\"state\":\"RUNNING\","
                        + "\"cloud\":\"aws\",\"region\":\"us-east-1\",\"zone\":\"us-east-1a\","
                        + "\"instanceIds\":[\"i-1\",\"i-2\"],\"message\":\"2/2 running\",\"at\":\"2026-11-28T10:15:30Z\"}",
                EventCodec.encode(ClusterProgress.of("42").attempt(3).clusterName("cj-42-3").state(ClusterState.RUNNING)
                        .cloud("aws").region("us-east-1").zone("us-east-1a").instanceIds(List.of("i-1", "i-2"))
                        .message("2/2 running").at(AT).build()));
        assertEquals("{\"jobId\":\"7\",\"attempt\":0,\"state\":\"TERMINATED\",\"instanceIds\":[]}",
                EventCodec.encode(ClusterProgress.of("7").state(ClusterState.TERMINATED).build()),
                "fields not set are absent, empty or 0");
    }

    @Test
    void aPreemptionKeepsItsWireForm() {
        assertEquals("{\"jobId\":\"42\",\"attempt\":3,\"clusterName\":\"cj-42-3\",\"cloud\":\"gcp\","
                        + "\"region\":\"us-central1\",\"zone\":\"us-central1-a\",\"message\":\"spot reclaimed\","
                        + "\"at\":\"2026-11-28T10:15:30Z\"}",
                EventCodec.encode(ClusterPreempted.of("42").attempt(3).clusterName("cj-42-3").cloud("gcp")
                        .region("us-central1").zone("us-central1-a").message("spot reclaimed").at(AT).build()));
        assertEquals("{\"jobId\":\"7\",\"attempt\":0}", EventCodec.encode(ClusterPreempted.of("7").build()),
                "fields not set are absent or 0");
    }

    @Test
    void aFailedLaunchKeepsItsWireForm() {
        assertEquals("{\"jobId\":\"42\",\"attempt\":3,\"clusterName\":\"cj-42-3\",\"cloud\":\"aws\","
                        + "\"region\":\"us-east-1\",\"zone\":\"us-east-1a\",\"errorClass\":\"CAPACITY\","
                        + "\"scope\":\"ZONE\",\"errorCode\":\"InsufficientInstanceCapacity\","
                        + "\"message\":\"no capacity\",\"at\":\"2026-11-28T10:15:30Z\"}",
                EventCodec.encode(LaunchFailed.of("42").attempt(3).clusterName("cj-42-3").cloud("aws")
                        .region("us-east-1").zone("us-east-1a").errorClass(ErrorClass.CAPACITY).scope(BlockScope.ZONE)
                        .errorCode("InsufficientInstanceCapacity").message("no capacity").at(AT).build()));
        assertEquals("{\"jobId\":\"7\",\"attempt\":0,\"errorClass\":\"AUTH\"}",
                EventCodec.encode(LaunchFailed.of("7").errorClass(ErrorClass.AUTH).build()),
                "fields not set are absent or 0");
    }

    @Test
    void aTerminationKeepsItsWireForm() {
        assertEquals("{\"jobId\":\"42\",\"attempt\":3,\"clusterName\":\"cj-42-3\",\"cloud\":\"azure\","
                        + "\"region\":\"eastus\",\"reason\":\"job finished\"}",
                EventCodec.encode(TerminateCluster.of("42").attempt(3).clusterName("cj-42-3").cloud("azure")
                        .region("eastus").reason("job finished").build()));
        assertEquals("{\"jobId\":\"7\",\"attempt\":0}", EventCodec.encode(TerminateCluster.of("7").build()),
                "fields not set are absent or 0");
    }

    @Test
    void aFoundClusterKeepsItsWireForm() {
        assertEquals("{\"jobId\":\"42\",\"attempt\":3,\"clusterName\":\"cj-42-3\",\"cloud\":\"gcp\","
                        + "\"region\":\"us-central1\",\"zone\":\"us-central1-b\",\"instanceIds\":[\"i-1\",\"i-2\"],"
                        + "\"at\":\"2026-11-28T10:15:30Z\"}",
                EventCodec.encode(ClusterFound.of("42").attempt(3).clusterName("cj-42-3").cloud("gcp")
                        .region("us-central1").zone("us-central1-b").instanceIds(List.of("i-1", "i-2")).at(AT)
                        .build()));
        assertEquals("{\"jobId\":\"7\",\"attempt\":0,\"instanceIds\":[]}",
                EventCodec.encode(ClusterFound.of("7").build()), "fields not set are absent, empty or 0");
    }

    /** The keeper's contract (controller-heartbeats): these names, in this order, each Instant in its place. */
    @Test
    void aHeartbeatKeepsItsWireForm() {
        assertEquals("{\"controllerId\":\"controller-1a2b3c4d\",\"generation\":2,"
                        + "\"clusterName\":\"cj-controller-1a2b3c4d-2\",\"process\":\"4242@vm\",\"ready\":true,"
                        + "\"assignedPartitions\":8,\"startedAt\":\"2026-11-28T10:00:00Z\","
                        + "\"at\":\"2026-11-28T10:15:30Z\"}",
                EventCodec.encode(ControllerHeartbeat.of("controller-1a2b3c4d").generation(2)
                        .clusterName("cj-controller-1a2b3c4d-2").process("4242@vm").ready(true).assignedPartitions(8)
                        .startedAt(Instant.parse("2026-11-28T10:00:00Z")).at(AT).build()));
    }

    @Test
    void theControllerIsToldApartFromJobsByItsKey() {
        assertEquals(ClusterRole.CONTROLLER, ClusterRole.of("controller-1a2b3c4d"));
        assertEquals(ClusterRole.JOB, ClusterRole.of("42"));
        assertEquals(ClusterRole.JOB, ClusterRole.of(null));
        assertEquals("controller", ClusterRole.CONTROLLER.tagValue());
        assertEquals("controller-1a2b3c4d", ControllerHeartbeat.of("controller-1a2b3c4d").generation(1)
                .clusterName("c").process("p").startedAt(AT).at(AT).build().jobId(),
                "keyed by the controller identity");
    }

    @Test
    void newerProducersMayAddFields() {
        JobEvent e = EventCodec.decode(EventType.CANCEL_REQUESTED.ceType(),
                "{\"jobId\":\"7\",\"requestedBy\":\"bob\",\"requestedAt\":\"2026-11-28T10:15:30Z\",\"newField\":1}");
        assertEquals(new CancelRequested("7", "bob", AT), e);
    }

    @Test
    void recordsOfTheFirstSchemaStillRead() {
        JobSubmitted old = (JobSubmitted) EventCodec.decode(EventType.JOB_SUBMITTED.ceType(),
                "{\"jobId\":\"1\",\"name\":\"n\",\"owner\":\"a\",\"submittedAt\":\"2026-11-28T10:15:30Z\","
                        + "\"task\":{\"name\":\"n\",\"numNodes\":1,\"run\":\"echo\",\"resources\":{\"cloud\":\"aws\"}}}");
        assertEquals(List.of(old.task()), old.tasks());
        assertEquals(JobSubmitted.DEFAULT_PRIORITY, old.effectivePriority());
        assertEquals(JobRecovery.DEFAULT, old.task().resources().recovery());
        assertEquals(Map.of(), old.task().secrets());
    }

    @Test
    void anExitOfAnOlderProvisionerAnnouncesNoOutput() {
        JobExited old = (JobExited) EventCodec.decode(EventType.JOB_EXITED.ceType(),
                "{\"jobId\":\"1\",\"attempt\":2,\"clusterName\":\"cj-1-2\",\"phase\":\"RUN\",\"exitCode\":0,"
                        + "\"at\":\"2026-11-28T10:15:30Z\"}");
        assertFalse(old.announcesOutput());
        assertTrue(new JobExited("1", 2, "cj-1-2", RunPhase.RUN, 0, AT, List.of()).announcesOutput());
    }

    @Test
    void unknownTypeIsMalformed() {
        assertThrows(MalformedEventException.class, () -> EventCodec.decode("crossjobs.nope.v1", "{}"));
        assertThrows(MalformedEventException.class,
                () -> EventCodec.decode(EventType.JOB_EXITED.ceType(), "not json"));
    }

    @Test
    void statusPredicatesFollowSkyPilot() {
        assertTrue(JobStatus.SUCCEEDED.isTerminal());
        assertFalse(JobStatus.SUCCEEDED.isFailure());
        assertTrue(JobStatus.FAILED_NO_RESOURCE.isTerminal() && JobStatus.FAILED_NO_RESOURCE.isFailure());
        assertTrue(JobStatus.CANCELLED.isTerminal());
        assertFalse(JobStatus.CANCELLED.isFailure());
        for (JobStatus s : List.of(JobStatus.PENDING, JobStatus.STARTING, JobStatus.RUNNING, JobStatus.RECOVERING,
                JobStatus.CANCELLING)) {
            assertFalse(s.isTerminal(), s.name());
            assertTrue(JobStatus.nonTerminal().contains(s));
        }
        assertEquals(5, JobStatus.nonTerminal().size());
    }
}
