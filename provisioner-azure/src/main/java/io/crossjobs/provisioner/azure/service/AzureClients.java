package io.crossjobs.provisioner.azure.service;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.resourcemanager.authorization.fluent.PermissionsClient;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.fluent.UsagesClient;
import com.azure.resourcemanager.resources.fluent.ResourceGroupsClient;
import com.azure.resourcemanager.resources.fluent.SubscriptionsClient;
import com.azure.resourcemanager.compute.fluent.VirtualMachinesClient;
import com.azure.resourcemanager.network.fluent.VirtualNetworksClient;
import io.crossjobs.provisioner.azure.config.AzureConfig;
import io.crossjobs.provisioner.service.CallPacer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * The ARM clients: one VirtualMachinesClient and one VirtualNetworksClient for the subscription (ARM is global;
 * the region is a field of each resource), sharing one authenticated pipeline, on one Vert.x HTTP client that reuses Quarkus' Vert.x. With an endpoint override (mock-cloud) the
 * environment's resource manager URL points there, the certificate to trust is added and the token is fake;
 * otherwise DefaultAzureCredential against the public cloud.
 */
@ApplicationScoped
public class AzureClients {
    private final HttpClient http;
    private final VirtualMachinesClient virtualMachines;
    private final VirtualNetworksClient virtualNetworks;
    private final HttpPipeline armPipeline;
    private final String armEndpoint;
    private final AccountClients account;

    /**
     * The read-only clients {@code crossjobs check} uses, on the same pipeline: the subscription and its locations,
     * resource groups, the principal's permissions on a resource group, Compute's usages per location.
     */
    public record AccountClients(SubscriptionsClient subscriptions, ResourceGroupsClient resourceGroups,
                                 PermissionsClient permissions, UsagesClient usages) { }

    public AzureClients(AzureConfig config, Vertx vertx, CallPacer pacer) {
        HttpClientOptions options = new HttpClientOptions();
        config.trustCertificate().ifPresent(pem -> options.setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(pem)));
        this.http = new VertxHttpClientBuilder().vertx(vertx).httpClientOptions(options)
                .responseTimeout(config.callTimeout()).build();

        AzureEnvironment environment = AzureEnvironment.AZURE;
        TokenCredential credential;
        if (config.endpointOverride().isPresent()) {
            Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
            String url = config.endpointOverride().get().toString();
            endpoints.put("resourceManagerEndpointUrl", url.endsWith("/") ? url : url + "/");
            environment = new AzureEnvironment(endpoints);
            // mock-cloud accepts any bearer token; the SDK still insists on sending one over https
            credential = request -> Mono.just(new AccessToken("crossjobs-mock-token", OffsetDateTime.now().plusHours(1)));
        } else {
            DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder().httpClient(http);
            config.tenantId().ifPresent(builder::tenantId);
            credential = builder.build();
        }
        AzureProfile profile = new AzureProfile(config.tenantId().orElse(null), config.subscriptionId(), environment);
        ComputeManager.Configurable configurable = ComputeManager.configure().withHttpClient(http)
                .withPolicy(new ArmPacing(pacer, config.callTimeout()));
        config.sdkMaxRetries().ifPresent(n -> configurable.withRetryPolicy(
                new RetryPolicy(new ExponentialBackoff(n, Duration.ofMillis(800), Duration.ofSeconds(8)))));
        ComputeManager manager = configurable.authenticate(credential, profile);
        var compute = manager.serviceClient();
        this.virtualMachines = compute.getVirtualMachines();
        this.virtualNetworks = manager.networkManager().serviceClient().getVirtualNetworks();
        this.armPipeline = compute.getHttpPipeline();
        this.armEndpoint = compute.getEndpoint();
        this.account = new AccountClients(manager.resourceManager().subscriptionClient().getSubscriptions(),
                manager.resourceManager().serviceClient().getResourceGroups(),
                manager.authorizationManager().roleServiceClient().getPermissions(), compute.getUsages());
    }

    public AccountClients account() {
        return account;
    }

    public VirtualMachinesClient virtualMachines() {
        return virtualMachines;
    }

    public VirtualNetworksClient virtualNetworks() {
        return virtualNetworks;
    }

    /** The compute client's authenticated pipeline, for the one Microsoft.Network read (NICs' private IPs). */
    public HttpPipeline armPipeline() {
        return armPipeline;
    }

    /** Resource Manager's base URL, as the compute client uses it. */
    public String armEndpoint() {
        return armEndpoint;
    }

    /** The same HTTP client (and trust) for Blob Storage, where nodes' output is. */
    public HttpClient http() {
        return http;
    }
}
