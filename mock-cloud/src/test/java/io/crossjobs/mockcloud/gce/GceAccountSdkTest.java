package io.crossjobs.mockcloud.gce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.PermissionDeniedException;
import com.google.api.gax.rpc.UnauthenticatedException;
import com.google.cloud.compute.v1.AccessConfig;
import com.google.cloud.compute.v1.InsertInstanceRequest;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.InstancesClient;
import com.google.cloud.compute.v1.InstancesSettings;
import com.google.cloud.compute.v1.NetworkInterface;
import com.google.cloud.compute.v1.NetworksClient;
import com.google.cloud.compute.v1.NetworksSettings;
import com.google.cloud.compute.v1.Quota;
import com.google.cloud.compute.v1.Region;
import com.google.cloud.compute.v1.RegionsClient;
import com.google.cloud.compute.v1.RegionsSettings;

import io.crossjobs.mockcloud.account.AccountState;
import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.quotas.QuotaGate;
import io.crossjobs.mockcloud.quotas.QuotaOverride;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What {@code crossjobs check} reads of a GCP project, through the real google-cloud-compute client and plain HTTP
 * for Resource Manager: regions.get with its quotas, networks.get, testIamPermissions; and the account's faults as
 * Compute Engine answers them (401 UNAUTHENTICATED, 403 "Required '...' permission", a missing network 404).
 */
@QuarkusTest
class GceAccountSdkTest {
    private static final String P = "account-project";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI endpoint;

    @Inject
    Accounts accounts;

    @Inject
    QuotaGate quotas;

    @Inject
    VmSimulator sim;

    @AfterEach
    void heal() {
        accounts.clear();
        quotas.reset();
    }

    @Test
    void aRegionListsItsZonesAndItsQuotasWithTheirUsage() throws Exception {
        quotas.set(new QuotaOverride(Cloud.GCP, "europe-west4", "CPUS", 24));
        try (RegionsClient regions = RegionsClient.create(RegionsSettings.newBuilder().setEndpoint(base())
                .setCredentialsProvider(NoCredentialsProvider.create()).build())) {
            Region r = regions.get(P, "europe-west4");
            assertEquals("UP", r.getStatus());
            assertEquals(3, r.getZonesCount());
            Quota cpus = r.getQuotasList().stream().filter(q -> q.getMetric().equals("CPUS")).findFirst().orElseThrow();
            assertEquals(24.0, cpus.getLimit());
            assertTrue(r.getQuotasList().stream().anyMatch(q -> q.getMetric().equals("NVIDIA_T4_GPUS") && q.getLimit() == 0));
            assertTrue(r.getQuotasList().stream().noneMatch(q -> q.getMetric().equals("CPUS_ALL_REGIONS")),
                    "global quotas are not a region's");
            assertThrows(NotFoundException.class, () -> regions.get(P, "mars-north1"));
            assertTrue(regions.list(P).iterateAll().iterator().hasNext());
        }
    }

    @Test
    void theDefaultNetworkIsThereUntilTheAccountMissesItAndThenInsertsFailWith404() throws Exception {
        try (NetworksClient networks = NetworksClient.create(NetworksSettings.newBuilder().setEndpoint(base())
                .setCredentialsProvider(NoCredentialsProvider.create()).build()); InstancesClient instances = instances()) {
            assertTrue(networks.get(P, "default").getAutoCreateSubnetworks());
            assertThrows(NotFoundException.class, () -> networks.get(P, "other"));
            accounts.set(Cloud.GCP, new AccountState(false, Set.of(), Set.of("network:default")));

            NotFoundException gone = assertThrows(NotFoundException.class, () -> networks.get(P, "default"));
            assertTrue(body(gone).contains("global/networks/default' was not found"), body(gone));
            NotFoundException insert = assertThrows(NotFoundException.class,
                    () -> instances.insertCallable().call(insert("no-network")));
            assertTrue(body(insert).contains("networks/default"), body(insert));
            assertTrue(sim.list(v -> "no-network".equals(v.name())).isEmpty(), "nothing made");
        }
    }

    @Test
    void aRevokedCredentialIsRefusedEverywhereWith401() throws Exception {
        accounts.set(Cloud.GCP, new AccountState(true, Set.of(), Set.of()));
        try (InstancesClient instances = instances()) {
            UnauthenticatedException e = assertThrows(UnauthenticatedException.class,
                    () -> instances.get(P, "us-central1-a", "any"));
            assertEquals(401, e.getStatusCode().getTransportCode());
            assertThrows(UnauthenticatedException.class, () -> instances.insertCallable().call(insert("revoked")));
        }
        HttpResponse<String> crm = testIamPermissions("[\"compute.instances.get\"]");
        assertEquals(401, crm.statusCode());
        assertTrue(crm.body().contains("UNAUTHENTICATED"), crm.body());
    }

    @Test
    void aDeniedPermissionFailsTheCallsThatNeedItAndIsLeftOutOfTestIamPermissions() throws Exception {
        accounts.set(Cloud.GCP, new AccountState(false, Set.of("compute.instances.create"), Set.of()));
        try (InstancesClient instances = instances()) {
            PermissionDeniedException e = assertThrows(PermissionDeniedException.class,
                    () -> instances.insertCallable().call(insert("denied")));
            assertTrue(body(e).contains("Required 'compute.instances.create' permission for 'projects/" + P
                    + "/zones/us-central1-a/instances/denied'"), body(e));
            assertThrows(NotFoundException.class, () -> instances.get(P, "us-central1-a", "denied"),
                    "reading needs another permission, and nothing was made");
        }
        HttpResponse<String> granted = testIamPermissions("[\"compute.instances.create\",\"compute.instances.get\"]");
        assertEquals(200, granted.statusCode());
        assertEquals("{\"permissions\":[\"compute.instances.get\"]}", granted.body());
        assertEquals("{}", testIamPermissions("[\"compute.instances.create\"]").body(), "none held: an empty answer");
        assertEquals(400, testIamPermissions("[\"compute.*\"]").statusCode(), "no wildcards");
    }

    private HttpResponse<String> testIamPermissions(String permissions) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/projects/" + P + ":testIamPermissions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"permissions\":" + permissions + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Google's JSON error body, which gax keeps in the underlying HTTP exception. */
    private static String body(com.google.api.gax.rpc.ApiException e) {
        return ((com.google.api.client.http.HttpResponseException) e.getCause()).getContent();
    }

    private static InsertInstanceRequest insert(String name) {
        Instance vm = Instance.newBuilder().setName(name).setMachineType("zones/us-central1-a/machineTypes/e2-small")
                .addNetworkInterfaces(NetworkInterface.newBuilder().setNetwork("global/networks/default")
                        .addAccessConfigs(AccessConfig.newBuilder().setType("ONE_TO_ONE_NAT")))
                .putAllLabels(java.util.Map.of("managed-by", "crossjobs")).build();
        return InsertInstanceRequest.newBuilder().setProject(P).setZone("us-central1-a").setInstanceResource(vm).build();
    }

    private InstancesClient instances() throws java.io.IOException {
        return InstancesClient.create(InstancesSettings.newBuilder().setEndpoint(base())
                .setCredentialsProvider(NoCredentialsProvider.create()).build());
    }

    private String base() {
        String s = endpoint.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

}
