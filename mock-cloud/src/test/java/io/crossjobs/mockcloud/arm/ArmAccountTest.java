package io.crossjobs.mockcloud.arm;

import static io.crossjobs.mockcloud.arm.ArmBodies.BASE;
import static io.crossjobs.mockcloud.arm.ArmBodies.V;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.crossjobs.mockcloud.account.AccountState;
import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.limits.ApiRateLimiter;
import io.crossjobs.mockcloud.quotas.QuotaGate;
import io.crossjobs.mockcloud.quotas.QuotaOverride;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.MutableClock;
import io.crossjobs.mockcloud.sim.SimulatedWorkloadRunner;
import io.crossjobs.mockcloud.sim.SimulatorSettings;
import io.crossjobs.mockcloud.sim.VmSimulator;

/** The mock account as Resource Manager enforces and reports it, without HTTP. */
class ArmAccountTest {
    private static final String SUB = "/subscriptions/sub-1";
    private static final String RG = SUB + "/resourceGroups/rg-1";
    private static final String VM = RG + "/providers/Microsoft.Compute/virtualMachines/vm-1";
    private static final String USAGES = SUB + "/providers/Microsoft.Compute/locations/eastus/usages";
    private static final String PERMISSIONS = RG + "/providers/Microsoft.Authorization/permissions";

    private final MutableClock clock = new MutableClock();
    private final QuotaGate quotas = QuotaGate.strict();
    private final VmSimulator sim = new VmSimulator(SimulatorSettings.defaults().withBootDelay(Duration.ofSeconds(1)),
            clock, new SimulatedWorkloadRunner(clock, Duration.ofMillis(10)));
    private final Accounts accounts = new Accounts();
    private final ArmApi arm = new ArmApi(sim, 2, ArmRules.strict(), ApiRateLimiter.countingOnly(clock), accounts,
            quotas);

    @BeforeEach
    void network() {
        assertEquals(201, call("PUT", ArmBodies.VNET_PATH, ArmBodies.vnet("eastus")).status());
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void aRevokedCredentialIs401InvalidAuthenticationTokenOnEveryCall() {
        accounts.set(Cloud.AZURE, new AccountState(true, Set.of(), Set.of()));

        List<ArmResponse> answers = new ArrayList<>(List.of(call("PUT", VM, ArmBodies.vm("#!/bin/bash\n", "")),
                call("GET", VM, null), call("GET", ArmBodies.VNET_PATH, null), call("GET", SUB, null),
                call("GET", SUB + "/locations", null), call("GET", RG, null), call("GET", PERMISSIONS, null),
                call("GET", USAGES, null)));

        for (ArmResponse r : answers) {
            assertEquals(401, r.status());
            assertEquals("InvalidAuthenticationToken", r.json().at("/error/code").asText());
        }
        assertTrue(sim.list().isEmpty(), "nothing made");
    }

    @Test
    void aDeniedActionIsRefusedWhereNeededAndLeftOutOfThePermissions() {
        accounts.set(Cloud.AZURE, new AccountState(false, Set.of("Microsoft.Compute/virtualMachines/write"), Set.of()));

        ArmResponse refused = call("PUT", VM, ArmBodies.vm("#!/bin/bash\n", ""));

        assertEquals(403, refused.status());
        assertEquals("AuthorizationFailed", refused.json().at("/error/code").asText());
        String message = refused.json().at("/error/message").asText();
        assertTrue(message.contains("'Microsoft.Compute/virtualMachines/write' over scope '" + VM + "'"), message);
        assertTrue(sim.list().isEmpty());
        assertEquals(404, call("GET", VM, null).status(), "reading is still allowed: the VM is just not there");
        JsonNode permissions = call("GET", PERMISSIONS, null).json().at("/value/0");
        assertEquals("*", permissions.at("/actions/0").asText());
        List<String> notActions = new ArrayList<>();
        permissions.get("notActions").forEach(n -> notActions.add(n.asText()));
        assertTrue(notActions.contains("Microsoft.Compute/virtualMachines/write"), notActions.toString());
        assertTrue(notActions.contains("Microsoft.Authorization/*/Write"), "Contributor's own: " + notActions);
    }

    @Test
    void aSubnetTheVmMayNotJoinIsLinkedAuthorizationFailed() {
        accounts.set(Cloud.AZURE, new AccountState(false,
                Set.of("Microsoft.Network/virtualNetworks/subnets/join/action"), Set.of()));

        ArmResponse refused = call("PUT", VM, ArmBodies.vm("#!/bin/bash\n", ""));

        assertEquals(403, refused.status());
        assertEquals("LinkedAuthorizationFailed", refused.json().at("/error/code").asText());
        assertTrue(refused.json().at("/error/message").asText().contains("on the linked scope(s) '" + ArmBodies.SUBNET),
                refused.json().toString());
    }

    @Test
    void aMissingResourceGroupIs404ResourceGroupNotFoundUnderIt() {
        accounts.set(Cloud.AZURE, new AccountState(false, Set.of(), Set.of("resource-group:RG-1")));

        for (ArmResponse r : List.of(call("GET", RG, null), call("PUT", VM, ArmBodies.vm("#!/bin/bash\n", "")),
                call("GET", ArmBodies.VNET_PATH, null), call("GET", PERMISSIONS, null))) {
            assertEquals(404, r.status());
            assertEquals("ResourceGroupNotFound", r.json().at("/error/code").asText());
            assertEquals("Resource group 'rg-1' could not be found.", r.json().at("/error/message").asText());
        }
        assertEquals(200, call("GET", SUB + "/resourceGroups/rg-2", null).status());
        assertEquals(200, call("GET", USAGES, null).status(), "subscription-wide calls do not need the group");
    }

    @Test
    void theSubscriptionItsLocationsAndAResourceGroupAreRead() {
        JsonNode sub = call("GET", SUB, null).json();
        assertEquals("sub-1", sub.get("subscriptionId").asText());
        assertEquals("Enabled", sub.get("state").asText());
        JsonNode locations = call("GET", SUB + "/locations", null).json().get("value");
        List<String> names = new ArrayList<>();
        locations.forEach(l -> names.add(l.get("name").asText()));
        assertTrue(names.containsAll(List.of("eastus", "eastus2", "westus2")), names.toString());
        assertEquals("East US", locations.get(0).get("displayName").asText());
        JsonNode group = call("GET", RG, null).json();
        assertEquals("rg-1", group.get("name").asText());
        assertEquals("Succeeded", group.at("/properties/provisioningState").asText());
        assertEquals(204, call("HEAD", RG, null).status());
    }

    @Test
    void usagesReportTheQuotasAndWhatTheVmsAliveTake() {
        assertEquals(201, call("PUT", VM, ArmBodies.vm("#!/bin/bash\n", "")).status());
        quotas.set(new QuotaOverride(Cloud.AZURE, "eastus", "lowPriorityCores", 0));

        JsonNode usages = call("GET", USAGES, null).json().get("value");

        JsonNode cores = find(usages, "cores");
        assertEquals(2, cores.get("currentValue").asInt(), "Standard_D2s_v5: 2 vCPUs");
        assertEquals(1000, cores.get("limit").asLong());
        assertEquals("Total Regional vCPUs", cores.at("/name/localizedValue").asText());
        assertEquals("Count", cores.get("unit").asText());
        assertEquals(2, find(usages, "standardDSv5Family").get("currentValue").asInt());
        assertEquals("Standard DSv5 Family vCPUs", find(usages, "standardDSv5Family").at("/name/localizedValue").asText());
        assertEquals(0, find(usages, "lowPriorityCores").get("limit").asLong());

        ArmResponse nowhere = call("GET", SUB + "/providers/Microsoft.Compute/locations/atlantis/usages", null);
        assertEquals(400, nowhere.status());
        assertEquals("NoRegisteredProviderFound", nowhere.json().at("/error/code").asText());
        assertTrue(nowhere.json().at("/error/message").asText().contains("'atlantis'"), nowhere.json().toString());
    }

    private static JsonNode find(JsonNode usages, String metric) {
        for (JsonNode u : usages) if (u.at("/name/value").asText().equals(metric)) return u;
        throw new AssertionError(metric + " not in " + usages);
    }

    private ArmResponse call(String method, String path, String body) {
        return arm.handle(method, path, V, null, body, BASE);
    }
}
