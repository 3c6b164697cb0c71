package io.crossjobs.provisioner.gcp.service;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.cloud.compute.v1.InstancesClient;
import com.google.cloud.compute.v1.InstancesSettings;
import com.google.cloud.compute.v1.NetworksClient;
import com.google.cloud.compute.v1.NetworksSettings;
import com.google.cloud.compute.v1.RegionsClient;
import com.google.cloud.compute.v1.RegionsSettings;
import com.google.cloud.compute.v1.ZoneOperationsClient;
import com.google.cloud.compute.v1.ZoneOperationsSettings;
import io.crossjobs.provisioner.gcp.config.GcpConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Compute Engine clients (GCE's API is global: one client serves every region). Created on first use, so
 * the service starts even before Application Default Credentials are available; closed with the application.
 */
@ApplicationScoped
public class GceClients {
    private final GcpConfig config;
    private InstancesClient instances;
    private ZoneOperationsClient operations;
    private RegionsClient regions;
    private NetworksClient networks;

    public GceClients(GcpConfig config) {
        this.config = config;
    }

    public synchronized InstancesClient instances() {
        if (instances == null) {
            try {
                InstancesSettings.Builder b = InstancesSettings.newBuilder();
                config.endpointOverride().ifPresent(e -> b.setEndpoint(e).setCredentialsProvider(NoCredentialsProvider.create()));
                tune(b.insertSettings());
                tune(b.deleteSettings());
                tune(b.getSettings());
                tune(b.aggregatedListSettings());
                instances = InstancesClient.create(b.build());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the Compute Engine client", e);
            }
        }
        return instances;
    }

    public synchronized ZoneOperationsClient operations() {
        if (operations == null) {
            try {
                ZoneOperationsSettings.Builder b = ZoneOperationsSettings.newBuilder();
                config.endpointOverride().ifPresent(e -> b.setEndpoint(e).setCredentialsProvider(NoCredentialsProvider.create()));
                tune(b.waitSettings());
                tune(b.listSettings());
                operations = ZoneOperationsClient.create(b.build());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the Compute Engine operations client", e);
            }
        }
        return operations;
    }

    /** regions.get for {@code crossjobs check} (a region's status and quotas). */
    public synchronized RegionsClient regions() {
        if (regions == null) {
            try {
                RegionsSettings.Builder b = RegionsSettings.newBuilder();
                config.endpointOverride().ifPresent(e -> b.setEndpoint(e).setCredentialsProvider(NoCredentialsProvider.create()));
                tune(b.getSettings());
                regions = RegionsClient.create(b.build());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the Compute Engine regions client", e);
            }
        }
        return regions;
    }

    /** networks.get for {@code crossjobs check} (the network nodes attach to). */
    public synchronized NetworksClient networks() {
        if (networks == null) {
            try {
                NetworksSettings.Builder b = NetworksSettings.newBuilder();
                config.endpointOverride().ifPresent(e -> b.setEndpoint(e).setCredentialsProvider(NoCredentialsProvider.create()));
                tune(b.getSettings());
                networks = NetworksClient.create(b.build());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the Compute Engine networks client", e);
            }
        }
        return networks;
    }

    /** Bounds every call by the configured timeout and, when set, the SDK's own attempts. */
    private void tune(UnaryCallSettings.Builder<?, ?> call) {
        RetrySettings.Builder r = call.getRetrySettings().toBuilder()
                .setTotalTimeoutDuration(config.callTimeout())
                .setInitialRpcTimeoutDuration(config.callTimeout())
                .setMaxRpcTimeoutDuration(config.callTimeout());
        config.sdkMaxAttempts().ifPresent(r::setMaxAttempts);
        call.setRetrySettings(r.build());
    }

    @PreDestroy
    public synchronized void close() {
        if (instances != null) instances.close();
        if (operations != null) operations.close();
        if (regions != null) regions.close();
        if (networks != null) networks.close();
    }
}
