package io.crossjobs.mockcloud.gce;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.compute.v1.AcceleratorConfig;
import com.google.cloud.compute.v1.AcceleratorType;
import com.google.cloud.compute.v1.AcceleratorTypesClient;
import com.google.cloud.compute.v1.AcceleratorTypesSettings;
import com.google.cloud.compute.v1.AttachedDisk;
import com.google.cloud.compute.v1.AttachedDiskInitializeParams;
import com.google.cloud.compute.v1.Disk;
import com.google.cloud.compute.v1.DisksClient;
import com.google.cloud.compute.v1.DisksSettings;
import com.google.cloud.compute.v1.InsertInstanceRequest;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.InstancesClient;
import com.google.cloud.compute.v1.InstancesSettings;
import com.google.cloud.compute.v1.Items;
import com.google.cloud.compute.v1.ListZoneOperationsRequest;
import com.google.cloud.compute.v1.Metadata;
import com.google.cloud.compute.v1.Operation;
import com.google.cloud.compute.v1.Scheduling;
import com.google.cloud.compute.v1.SetMetadataInstanceRequest;
import com.google.cloud.compute.v1.ZoneOperationsClient;
import com.google.cloud.compute.v1.ZoneOperationsSettings;

import io.crossjobs.mockcloud.sim.VmSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * What Compute Engine refuses and how it ends preempted spot VMs, through the real google-cloud-compute client:
 * accelerators per zone and machine series, GPU host maintenance, spot scheduling, boot disk size, metadata sizes,
 * and the STOP/DELETE termination actions.
 */
@QuarkusTest
class GceStrictSdkTest {
    private static final String P = "strict-project";
    private static final String Z = "us-central1-a";

    @TestHTTPResource("/")
    URI endpoint;

    @Inject
    VmSimulator sim;

    @Test
    void aGpuVmCarriesItsAcceleratorsAndTerminatesOnHostMaintenance() throws Exception {
        // the project asked for T4s (a new project has no GPU quota): the regional quota and the global one
        quota("us-central1", "NVIDIA_T4_GPUS", 8);
        quota("global", "GPUS_ALL_REGIONS", 8);
        try (InstancesClient instances = instances(); ZoneOperationsClient operations = operations();
             AcceleratorTypesClient types = acceleratorTypes()) {
            String name = name("gpu");
            Instance.Builder vm = vm(name, "n1-standard-8").addGuestAccelerators(gpus(Z, "nvidia-tesla-t4", 2))
                    .setScheduling(Scheduling.newBuilder().setOnHostMaintenance("TERMINATE").setAutomaticRestart(false));
            operations.wait(P, Z, instances.insertCallable().call(insert(Z, vm)).getName());

            Instance seen = instances.get(P, Z, name);
            assertEquals(1, seen.getGuestAcceleratorsCount());
            assertEquals(2, seen.getGuestAccelerators(0).getAcceleratorCount());
            assertTrue(seen.getGuestAccelerators(0).getAcceleratorType()
                    .endsWith("/projects/" + P + "/zones/" + Z + "/acceleratorTypes/nvidia-tesla-t4"));
            assertEquals("TERMINATE", seen.getScheduling().getOnHostMaintenance());
            assertEquals(false, seen.getScheduling().getAutomaticRestart());
            assertEquals("STANDARD", seen.getScheduling().getProvisioningModel());

            List<String> offered = new ArrayList<>();
            types.list(P, Z).iterateAll().forEach(t -> offered.add(t.getName()));
            assertEquals(List.of("nvidia-l4", "nvidia-tesla-a100", "nvidia-tesla-t4", "nvidia-tesla-v100"), offered);
            AcceleratorType l4 = types.get(P, "us-west1-c", "nvidia-l4");
            assertTrue(l4.getZone().endsWith("/zones/us-west1-c"));
            assertEquals(404, status(assertThrows(ApiException.class, () -> types.get(P, "us-west1-c", "nvidia-tesla-t4"))));
        } finally {
            io.restassured.RestAssured.given().delete("/mock/quotas").then().statusCode(204);
        }
    }

    private static void quota(String region, String metric, int limit) {
        io.restassured.RestAssured.given().contentType("application/json").body("{\"cloud\":\"gcp\",\"region\":\""
                + region + "\",\"metric\":\"" + metric + "\",\"limit\":" + limit + "}")
                .put("/mock/quotas").then().statusCode(200);
    }

    @Test
    void acceleratorsAreRefusedWhereGceRefusesThem() throws Exception {
        try (InstancesClient instances = instances()) {
            String notOffered = refusal(instances, "us-west1-c",
                    vm(name("t4-west1c"), "n1-standard-8").addGuestAccelerators(gpus("us-west1-c", "nvidia-tesla-t4", 1))
                            .setScheduling(Scheduling.newBuilder().setOnHostMaintenance("TERMINATE")));
            assertTrue(notOffered.contains("\"reason\":\"badRequest\"")
                    && notOffered.contains("zones/us-west1-c/acceleratorTypes/nvidia-tesla-t4' was not found"), notOffered);

            String series = refusal(instances, Z, vm(name("t4-e2"), "e2-standard-4")
                    .addGuestAccelerators(gpus(Z, "nvidia-tesla-t4", 1))
                    .setScheduling(Scheduling.newBuilder().setOnHostMaintenance("TERMINATE")));
            assertTrue(series.contains("[e2-standard-4, nvidia-tesla-t4] features are not compatible for creating instance."),
                    series);

            String migrate = refusal(instances, Z, vm(name("t4-migrate"), "n1-standard-8")
                    .addGuestAccelerators(gpus(Z, "nvidia-tesla-t4", 1))
                    .setScheduling(Scheduling.newBuilder().setOnHostMaintenance("MIGRATE")));
            assertTrue(migrate.contains("Instances with guest accelerators do not support live migration."), migrate);

            String byDefault = refusal(instances, Z, vm(name("t4-default"), "n1-standard-8")
                    .addGuestAccelerators(gpus(Z, "nvidia-tesla-t4", 1)));
            assertTrue(byDefault.contains("do not support live migration"), "a standard VM migrates unless told: " + byDefault);

            String g2 = refusal(instances, Z, vm(name("g2-default"), "g2-standard-4"));
            assertTrue(g2.contains("do not support live migration"), "G2 carries its own L4: " + g2);
            assertTrue(listed(instances).stream().noneMatch(n -> n.startsWith("t4-") || n.startsWith("g2-")),
                    "a refused insert makes nothing");
        }
    }

    @Test
    void spotSchedulingThatGceDoesNotAllowIsRefused() throws Exception {
        try (InstancesClient instances = instances()) {
            String migrate = refusal(instances, Z, vm(name("spot-migrate"), "e2-small")
                    .setScheduling(Scheduling.newBuilder().setProvisioningModel("SPOT").setOnHostMaintenance("MIGRATE")));
            assertTrue(migrate.contains("Scheduling must have preemptible be false when OnHostMaintenance isn't TERMINATE."),
                    migrate);
            String restart = refusal(instances, Z, vm(name("spot-restart"), "e2-small")
                    .setScheduling(Scheduling.newBuilder().setProvisioningModel("SPOT").setAutomaticRestart(true)));
            assertTrue(restart.contains("Scheduling must have preemptible be false when AutomaticRestart is true."),
                    restart);
        }
    }

    @Test
    void theBootDiskHasTheAskedSizeButNeverLessThanTheImage() throws Exception {
        try (InstancesClient instances = instances(); ZoneOperationsClient operations = operations();
             DisksClient disks = disks()) {
            String small = refusal(instances, Z, vm(name("disk-5"), "e2-small").addDisks(bootDisk(Z, 5)));
            assertTrue(small.contains("'resource.disks[0].initializeParams.diskSizeGb': '5'. Requested disk size cannot"
                    + " be smaller than the image size (10 GB)") && small.contains("\"reason\":\"invalid\""), small);

            String name = name("disk-256");
            operations.wait(P, Z, instances.insertCallable().call(insert(Z, vm(name, "e2-small").addDisks(bootDisk(Z, 256))))
                    .getName());
            AttachedDisk attached = instances.get(P, Z, name).getDisks(0);
            assertEquals(256, attached.getDiskSizeGb());
            assertTrue(attached.getBoot() && attached.getSource().endsWith("/zones/" + Z + "/disks/" + name),
                    attached.toString());
            Disk disk = disks.get(P, Z, name);
            assertEquals(256, disk.getSizeGb());
            assertTrue(disk.getType().endsWith("/diskTypes/pd-balanced"), disk.getType());
            assertTrue(disk.getSourceImage().endsWith("family/debian-12"), disk.getSourceImage());
        }
    }

    @Test
    void metadataOverGcesLimitsIsRefusedOnInsertAndSetMetadata() throws Exception {
        try (InstancesClient instances = instances(); ZoneOperationsClient operations = operations()) {
            String script = "#!/bin/bash\n" + "x".repeat(GceMetadata.MAX_VALUE_BYTES);
            ApiException value = assertThrows(ApiException.class, () -> instances.insertCallable().call(insert(Z,
                    vm(name("meta-value"), "e2-small").setMetadata(metadata(item("startup-script", script))))));
            assertEquals(413, status(value));
            String body = content(value);
            assertTrue(body.contains("\"reason\":\"fieldSizeTooLarge\"") && body.contains(
                    "Value for field 'resource.metadata.items[0].value' is too large: maximum size 262144 character(s);"
                            + " actual size " + script.length() + "."), body);

            String half = "y".repeat(200 * 1024);
            ApiException total = assertThrows(ApiException.class, () -> instances.insertCallable().call(insert(Z,
                    vm(name("meta-total"), "e2-small").setMetadata(metadata(item("a", half), item("b", half),
                            item("c", half))))));
            assertEquals(413, status(total));
            assertTrue(content(total).contains("Value for field 'resource.metadata' is too large: maximum size 524288"),
                    content(total));

            String name = name("meta-set");
            operations.wait(P, Z, instances.insertCallable().call(insert(Z, vm(name, "e2-small"))).getName());
            Metadata current = instances.get(P, Z, name).getMetadata();
            ApiException set = assertThrows(ApiException.class, () -> instances.setMetadataCallable().call(
                    SetMetadataInstanceRequest.newBuilder().setProject(P).setZone(Z).setInstance(name)
                            .setMetadataResource(metadata(item("big", script)).toBuilder()
                                    .setFingerprint(current.getFingerprint())).build()));
            assertEquals(413, status(set));
            assertTrue(content(set).contains("'metadata.items[0].value' is too large"), content(set));
        }
    }

    @Test
    void aPreemptedSpotVmWithDeleteIsGoneWithItsDiskButTheSystemEventStays() throws Exception {
        try (InstancesClient instances = instances(); ZoneOperationsClient operations = operations();
             DisksClient disks = disks()) {
            String name = name("spot-delete");
            operations.wait(P, Z, instances.insertCallable().call(insert(Z, vm(name, "e2-small").addDisks(bootDisk(Z, 20))
                    .setScheduling(Scheduling.newBuilder().setProvisioningModel("SPOT")
                            .setInstanceTerminationAction("DELETE")))).getName());
            Instance vm = instances.get(P, Z, name);
            assertEquals("DELETE", vm.getScheduling().getInstanceTerminationAction());

            sim.preempt(Long.toUnsignedString(vm.getId()), Duration.ZERO);

            // STOPPING lasts the %test shutdown-delay (300 ms): a busy machine may find the VM gone already
            try {
                assertEquals("STOPPING", instances.get(P, Z, name).getStatus());
            } catch (ApiException e) {
                assertEquals(404, status(e), () -> content(e));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> gone(() -> instances.get(P, Z, name)));
            assertTrue(listed(instances).stream().noneMatch(name::equals));
            assertEquals(404, status(assertThrows(ApiException.class, () -> disks.get(P, Z, name))));
            assertTrue(preemptionTargets(operations).contains(vm.getId()), "the system event outlives the instance");
        }
    }

    @Test
    void aPreemptedSpotVmWithStopTheDefaultStaysTerminatedWithItsDisk() throws Exception {
        try (InstancesClient instances = instances(); ZoneOperationsClient operations = operations();
             DisksClient disks = disks()) {
            String name = name("spot-stop");
            operations.wait(P, Z, instances.insertCallable().call(insert(Z, vm(name, "e2-small").addDisks(bootDisk(Z, 20))
                    .setScheduling(Scheduling.newBuilder().setProvisioningModel("SPOT")))).getName());
            Instance vm = instances.get(P, Z, name);
            assertEquals("STOP", vm.getScheduling().getInstanceTerminationAction(), "GCE's default for a spot VM");

            sim.preempt(Long.toUnsignedString(vm.getId()), Duration.ZERO);

            await().atMost(Duration.ofSeconds(20)).until(() -> instances.get(P, Z, name).getStatus().equals("TERMINATED"));
            assertTrue(listed(instances).contains(name));
            assertEquals(20, disks.get(P, Z, name).getSizeGb(), "a stopped VM keeps (and bills) its disk");
            assertTrue(preemptionTargets(operations).contains(vm.getId()));

            operations.wait(P, Z, instances.deleteCallable().call(com.google.cloud.compute.v1.DeleteInstanceRequest
                    .newBuilder().setProject(P).setZone(Z).setInstance(name).build()).getName());
            assertEquals(404, status(assertThrows(ApiException.class, () -> disks.get(P, Z, name))));
        }
    }

    /** The call answers 404. */
    private static boolean gone(Runnable call) {
        try {
            call.run();
            return false;
        } catch (ApiException e) {
            return status(e) == 404;
        }
    }

    private static String refusal(InstancesClient instances, String zone, Instance.Builder vm) {
        ApiException e = assertThrows(ApiException.class, () -> instances.insertCallable().call(insert(zone, vm)));
        assertEquals(400, status(e), content(e));
        return content(e);
    }

    private List<Long> preemptionTargets(ZoneOperationsClient operations) {
        List<Long> ids = new ArrayList<>();
        operations.list(ListZoneOperationsRequest.newBuilder().setProject(P).setZone(Z)
                .setFilter("operationType = \"compute.instances.preempted\"").build()).iterateAll()
                .forEach(o -> ids.add(o.getTargetId()));
        return ids;
    }

    private static List<String> listed(InstancesClient instances) {
        List<String> names = new ArrayList<>();
        instances.list(P, Z).iterateAll().forEach(i -> names.add(i.getName()));
        return names;
    }

    private static Instance.Builder vm(String name, String machineType) {
        return Instance.newBuilder().setName(name).setMachineType("zones/" + Z + "/machineTypes/" + machineType)
                .putLabels("case", name);
    }

    private static AcceleratorConfig gpus(String zone, String type, int count) {
        return AcceleratorConfig.newBuilder().setAcceleratorType("zones/" + zone + "/acceleratorTypes/" + type)
                .setAcceleratorCount(count).build();
    }

    private static AttachedDisk bootDisk(String zone, long gb) {
        return AttachedDisk.newBuilder().setBoot(true).setAutoDelete(true).setInitializeParams(
                AttachedDiskInitializeParams.newBuilder().setSourceImage("projects/debian-cloud/global/images/family/debian-12")
                        .setDiskType("zones/" + zone + "/diskTypes/pd-balanced").setDiskSizeGb(gb)).build();
    }

    private static Metadata metadata(Items... items) {
        return Metadata.newBuilder().addAllItems(List.of(items)).build();
    }

    private static Items item(String key, String value) {
        return Items.newBuilder().setKey(key).setValue(value).build();
    }

    private static InsertInstanceRequest insert(String zone, Instance.Builder vm) {
        String machineType = vm.getMachineType().substring(vm.getMachineType().lastIndexOf('/') + 1);
        return InsertInstanceRequest.newBuilder().setProject(P).setZone(zone)
                .setInstanceResource(vm.setMachineType("zones/" + zone + "/machineTypes/" + machineType)).build();
    }

    private static String name(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static int status(ApiException e) {
        return e.getCause() instanceof HttpResponseException http ? http.getStatusCode() : -1;
    }

    private static String content(ApiException e) {
        return e.getCause() instanceof HttpResponseException http ? http.getContent() : String.valueOf(e);
    }

    private InstancesClient instances() throws IOException {
        return InstancesClient.create(InstancesSettings.newBuilder().setEndpoint(base())
                .setCredentialsProvider(NoCredentialsProvider.create()).build());
    }

    private ZoneOperationsClient operations() throws IOException {
        return ZoneOperationsClient.create(ZoneOperationsSettings.newBuilder().setEndpoint(base())
                .setCredentialsProvider(NoCredentialsProvider.create()).build());
    }

    private AcceleratorTypesClient acceleratorTypes() throws IOException {
        return AcceleratorTypesClient.create(AcceleratorTypesSettings.newBuilder().setEndpoint(base())
                .setCredentialsProvider(NoCredentialsProvider.create()).build());
    }

    private DisksClient disks() throws IOException {
        return DisksClient.create(DisksSettings.newBuilder().setEndpoint(base())
                .setCredentialsProvider(NoCredentialsProvider.create()).build());
    }

    private String base() {
        String s = endpoint.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
