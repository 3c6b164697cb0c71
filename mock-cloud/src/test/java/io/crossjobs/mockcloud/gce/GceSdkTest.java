package io.crossjobs.mockcloud.gce;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.compute.v1.AggregatedListInstancesRequest;
import com.google.cloud.compute.v1.GetSerialPortOutputInstanceRequest;
import com.google.cloud.compute.v1.InsertInstanceRequest;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.InstancesClient;
import com.google.cloud.compute.v1.InstancesScopedList;
import com.google.cloud.compute.v1.InstancesSettings;
import com.google.cloud.compute.v1.Items;
import com.google.cloud.compute.v1.ListInstancesRequest;
import com.google.cloud.compute.v1.ListZoneOperationsRequest;
import com.google.cloud.compute.v1.Metadata;
import com.google.cloud.compute.v1.Operation;
import com.google.cloud.compute.v1.Scheduling;
import com.google.cloud.compute.v1.ZoneOperationsClient;
import com.google.cloud.compute.v1.ZoneOperationsSettings;

import io.crossjobs.mockcloud.sim.FaultSpec;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The real google-cloud-compute client (HTTP/JSON) against mock-cloud's GCE front end, end to end. */
@QuarkusTest
class GceSdkTest {
    private static final String P = "sdk-project";
    private static final String Z = "us-central1-a";

    @TestHTTPResource("/")
    URI endpoint;

    @Inject
    VmSimulator sim;

    @AfterEach
    void noFaultLeft() {
        sim.faults().clear();
    }

    @Test
    void insertWaitListReadTheConsoleAndDelete() throws Exception {
        try (InstancesClient instances = instances(); ZoneOperationsClient operations = operations()) {
            Operation op = instances.insertCallable().call(insert("sdk-1", "#!/bin/bash\necho hello from gce\n", false)
                    .setRequestId("1b4e28ba-2fa1-41d2-883f-0016d3cca427").build());
            Operation replay = instances.insertCallable().call(insert("sdk-1", "#!/bin/bash\necho hello from gce\n", false)
                    .setRequestId("1b4e28ba-2fa1-41d2-883f-0016d3cca427").build());
            assertEquals(op.getName(), replay.getName());
            // gax maps HTTP 409 to ABORTED: the reason is in Google's JSON body
            ApiException taken = assertThrows(ApiException.class,
                    () -> instances.insertCallable().call(insert("sdk-1", "", false).build()));
            assertEquals(409, taken.getStatusCode().getTransportCode());
            assertTrue(((HttpResponseException) taken.getCause()).getContent().contains("alreadyExists"));

            Operation done = operations.wait(P, Z, op.getName());
            assertEquals(Operation.Status.DONE, done.getStatus());
            Instance vm = instances.get(P, Z, "sdk-1");
            assertEquals("RUNNING", vm.getStatus());
            assertEquals("crossjobs", vm.getLabelsMap().get("managed-by"));
            assertTrue(vm.getMachineType().endsWith("/zones/us-central1-a/machineTypes/e2-small"));

            List<String> listed = new ArrayList<>();
            instances.list(ListInstancesRequest.newBuilder().setProject(P).setZone(Z)
                    .setFilter("(labels.managed-by = \"crossjobs\") (labels.case = \"sdk-1\")").setMaxResults(1).build())
                    .iterateAll().forEach(i -> listed.add(i.getName()));
            assertEquals(List.of("sdk-1"), listed);
            List<String> scopes = new ArrayList<>();
            for (Map.Entry<String, InstancesScopedList> e : instances.aggregatedList(
                    AggregatedListInstancesRequest.newBuilder().setProject(P).setFilter("labels.case=sdk-1").build())
                    .iterateAll()) {
                scopes.add(e.getKey() + ":" + e.getValue().getInstancesCount());
            }
            assertEquals(List.of("zones/us-central1-a:1"), scopes);

            await().atMost(Duration.ofSeconds(20)).until(() -> serial(instances, 0).getContents().contains("hello from gce"));
            var whole = serial(instances, 0);
            var tail = serial(instances, 6);
            assertEquals(6, tail.getStart());
            assertEquals(whole.getContents().substring(6), tail.getContents());
            assertEquals(whole.getNext(), tail.getNext());

            Operation delete = instances.deleteCallable().call(com.google.cloud.compute.v1.DeleteInstanceRequest.newBuilder()
                    .setProject(P).setZone(Z).setInstance("sdk-1").build());
            assertEquals(Operation.Status.DONE, operations.wait(P, Z, delete.getName()).getStatus());
            ApiException gone = assertThrows(ApiException.class, () -> instances.get(P, Z, "sdk-1"));
            assertEquals(404, gone.getStatusCode().getTransportCode());
        }
    }

    @Test
    void errorsComeSynchronouslyOrInsideTheOperation() throws Exception {
        try (InstancesClient instances = instances(); ZoneOperationsClient operations = operations()) {
            sim.faults().add(new FaultSpec("gcp", null, null, null, null, 1, "quotaExceeded", null, "Quota 'CPUS' exceeded."));
            ApiException quota = assertThrows(ApiException.class,
                    () -> instances.insertCallable().call(insert("sdk-2", "", false).build()));
            assertEquals(403, quota.getStatusCode().getTransportCode());
            String content = ((HttpResponseException) quota.getCause()).getContent();
            assertTrue(content.contains("\"reason\":\"quotaExceeded\""), content);

            sim.faults().add(new FaultSpec("gcp", null, null, null, null, 1, "ZONE_RESOURCE_POOL_EXHAUSTED", null, null));
            Operation op = instances.insertCallable().call(insert("sdk-2", "", false).build());
            Operation done = operations.wait(P, Z, op.getName());
            assertEquals("ZONE_RESOURCE_POOL_EXHAUSTED", done.getError().getErrors(0).getCode());
            assertEquals(503, done.getHttpErrorStatusCode());
        }
    }

    @Test
    void preemptionLeavesTheSystemEventGcloudLooksFor() {
        try (InstancesClient instances = instances(); ZoneOperationsClient operations = operations()) {
            operations.wait(P, Z, instances.insertCallable().call(insert("sdk-3", "", true).build()).getName());
            Instance vm = instances.get(P, Z, "sdk-3");
            assertEquals("SPOT", vm.getScheduling().getProvisioningModel());
            sim.preempt(Long.toUnsignedString(vm.getId()), Duration.ZERO);

            await().atMost(Duration.ofSeconds(20)).until(() -> instances.get(P, Z, "sdk-3").getStatus().equals("TERMINATED"));
            List<Operation> events = new ArrayList<>();
            operations.list(ListZoneOperationsRequest.newBuilder().setProject(P).setZone(Z)
                    .setFilter("operationType = \"compute.instances.preempted\"").build()).iterateAll().forEach(events::add);
            assertEquals(1, events.size());
            assertEquals(vm.getId(), events.get(0).getTargetId());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static InsertInstanceRequest.Builder insert(String name, String script, boolean spot) {
        Instance.Builder vm = Instance.newBuilder().setName(name).setMachineType("zones/" + Z + "/machineTypes/e2-small")
                .putLabels("managed-by", "crossjobs").putLabels("case", name)
                .setMetadata(Metadata.newBuilder().addItems(Items.newBuilder().setKey("startup-script").setValue(script)));
        if (spot) vm.setScheduling(Scheduling.newBuilder().setProvisioningModel("SPOT"));
        return InsertInstanceRequest.newBuilder().setProject(P).setZone(Z).setInstanceResource(vm);
    }

    private static com.google.cloud.compute.v1.SerialPortOutput serial(InstancesClient instances, long start) {
        return instances.getSerialPortOutput(GetSerialPortOutputInstanceRequest.newBuilder().setProject(P).setZone(Z)
                .setInstance("sdk-1").setPort(1).setStart(start).build());
    }

    private InstancesClient instances() {
        try {
            return InstancesClient.create(InstancesSettings.newBuilder().setEndpoint(base())
                    .setCredentialsProvider(NoCredentialsProvider.create()).build());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ZoneOperationsClient operations() {
        try {
            return ZoneOperationsClient.create(ZoneOperationsSettings.newBuilder().setEndpoint(base())
                    .setCredentialsProvider(NoCredentialsProvider.create()).build());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String base() {
        String s = endpoint.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
