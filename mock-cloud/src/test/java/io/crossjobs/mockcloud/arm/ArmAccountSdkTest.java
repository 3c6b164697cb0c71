package io.crossjobs.mockcloud.arm;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.authorization.fluent.models.PermissionInner;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.fluent.models.UsageInner;
import com.azure.resourcemanager.resources.models.SubscriptionState;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import reactor.core.publisher.Mono;

/** What {@code crossjobs check} reads on Azure, through the real SDK's clients over HTTPS, and the account faults. */
@QuarkusTest
class ArmAccountSdkTest {
    private static final String SUB = "00000000-0000-0000-0000-00000000acc7";
    private static final TokenCredential FAKE =
            r -> Mono.just(new AccessToken("fake-token", OffsetDateTime.now().plusHours(1)));

    @Inject
    ArmServer server;

    @Inject
    Vertx vertx;

    private ComputeManager compute;
    private String rg;

    @BeforeEach
    void client() {
        String pem = given().get("/mock/arm").then().statusCode(200).extract().path("certificatePem");
        var http = new VertxHttpClientBuilder().vertx(vertx).httpClientOptions(new HttpClientOptions().setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(pem))).build();
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", "https://127.0.0.1:" + server.port() + "/");
        compute = ComputeManager.configure().withHttpClient(http)
                .authenticate(FAKE, new AzureProfile("tenant", SUB, new AzureEnvironment(endpoints)));
        rg = "rg-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void heal() {
        given().delete("/mock/account").then().statusCode(204);
        given().delete("/mock/quotas").then().statusCode(204);
    }

    @Test
    void theSubscriptionLocationsGroupPermissionsAndUsagesAreRead() {
        var subscriptions = compute.resourceManager().subscriptionClient().getSubscriptions();
        assertEquals(SubscriptionState.ENABLED, subscriptions.get(SUB).state());
        List<String> locations = new ArrayList<>();
        subscriptions.listLocations(SUB).forEach(l -> locations.add(l.name()));
        assertTrue(locations.containsAll(List.of("eastus", "eastus2", "westus2")), locations.toString());
        assertEquals(rg, compute.resourceManager().serviceClient().getResourceGroups().get(rg).name());
        assertTrue(compute.resourceManager().serviceClient().getResourceGroups().checkExistence(rg));
        List<PermissionInner> permissions = permissions();
        assertEquals(List.of("*"), permissions.get(0).actions());
        given().contentType(ContentType.JSON).body(Map.of("cloud", "azure", "region", "westus2", "metric", "cores",
                "limit", 7)).put("/mock/quotas").then().statusCode(200);
        UsageInner cores = usages("westus2").stream().filter(u -> u.name().value().equals("cores")).findFirst()
                .orElseThrow();
        assertEquals(7, cores.limit());
        assertEquals("Total Regional vCPUs", cores.name().localizedValue());
    }

    @Test
    void eachAccountFaultIsAzuresOwnError() {
        breakAccount(Map.of("credentialsRevoked", true));
        ManagementException revoked = assertThrows(ManagementException.class,
                () -> compute.resourceManager().subscriptionClient().getSubscriptions().get(SUB));
        assertEquals(401, revoked.getResponse().getStatusCode());
        assertEquals("InvalidAuthenticationToken", revoked.getValue().getCode());

        breakAccount(Map.of("deniedPermissions", List.of("Microsoft.Compute/locations/usages/read")));
        ManagementException denied = assertThrows(ManagementException.class, () -> usages("eastus"));
        assertEquals(403, denied.getResponse().getStatusCode());
        assertEquals("AuthorizationFailed", denied.getValue().getCode());
        assertTrue(permissions().get(0).notActions().contains("Microsoft.Compute/locations/usages/read"));

        breakAccount(Map.of("missing", List.of("resource-group:" + rg)));
        ManagementException missing = assertThrows(ManagementException.class,
                () -> compute.resourceManager().serviceClient().getResourceGroups().get(rg));
        assertEquals(404, missing.getResponse().getStatusCode());
        assertEquals("ResourceGroupNotFound", missing.getValue().getCode());
        assertEquals(false, compute.resourceManager().serviceClient().getResourceGroups().checkExistence(rg));
    }

    private List<PermissionInner> permissions() {
        List<PermissionInner> out = new ArrayList<>();
        compute.authorizationManager().roleServiceClient().getPermissions().listByResourceGroup(rg).forEach(out::add);
        return out;
    }

    private List<UsageInner> usages(String location) {
        List<UsageInner> out = new ArrayList<>();
        compute.serviceClient().getUsages().list(location).forEach(out::add);
        return out;
    }

    private static void breakAccount(Map<String, Object> state) {
        given().contentType(ContentType.JSON).body(state).put("/mock/account/azure").then().statusCode(200);
    }
}
