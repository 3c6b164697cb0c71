package io.crossjobs.mockcloud.gce;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.sim.Cloud;

/**
 * The mock account's faults as Compute Engine shows them ({@link Accounts}): a revoked credential fails every call
 * with 401 before anything else is looked at, a permission the principal lacks fails each call that needs it with
 * 403 {@code forbidden} "Required 'compute.x.y' permission for 'projects/...'", and the project's VPC networks are
 * {@code default} unless the account misses it ({@code network:default}).
 */
@ApplicationScoped
public class GceAccount {
    /** The network a new project has (unless an organization policy skips it). */
    static final String DEFAULT_NETWORK = "default";

    private final Accounts accounts;

    @Inject
    public GceAccount(Accounts accounts) {
        this.accounts = accounts;
    }

    /** 401 when the credential is revoked. */
    public void authenticate() {
        if (accounts.credentialsRevoked(Cloud.GCP)) throw GceError.unauthenticated();
    }

    /** 401 when the credential is revoked, else 403 when {@code permission} on {@code resource} is denied. */
    public void authorize(String permission, String resource) {
        authenticate();
        if (accounts.denied(Cloud.GCP, permission)) throw GceError.forbidden(permission, resource);
    }

    /** Whether the project has the VPC network {@code name}. */
    public boolean networkExists(String name) {
        return DEFAULT_NETWORK.equals(name) && !accounts.missing(Cloud.GCP, "network", name);
    }

    /**
     * What instances.insert is authorized against (cloud.google.com/compute/docs/access/iam-permissions: creating an
     * instance needs {@code compute.instances.create}, {@code compute.disks.create} for a new disk,
     * {@code compute.images.useReadOnly} for its image, {@code compute.subnetworks.use} and
     * {@code compute.subnetworks.useExternalIp} for its interface and external address,
     * {@code compute.instances.setMetadata} and {@code compute.instances.setLabels} when it has them), then whether
     * each interface's network exists: an unknown one is 404 {@code notFound}, synchronously, nothing made.
     */
    public void authorizeInsert(String project, String zone, JsonNode body) {
        authenticate();
        if (body == null || !body.isObject()) return;     // the API's own validation answers
        String name = body.path("name").asText("");
        String region = zone.substring(0, Math.max(zone.lastIndexOf('-'), 0));
        List<String[]> needed = new ArrayList<>();
        needed.add(new String[] {"compute.instances.create", "projects/" + project + "/zones/" + zone + "/instances/" + name});
        for (JsonNode disk : body.path("disks")) {
            JsonNode params = disk.path("initializeParams");
            if (params.isMissingNode()) continue;
            needed.add(new String[] {"compute.disks.create", "projects/" + project + "/zones/" + zone + "/disks/"
                    + params.path("diskName").asText(name)});
            String image = params.path("sourceImage").asText("");
            if (!image.isEmpty()) needed.add(new String[] {"compute.images.useReadOnly", relative(image)});
        }
        List<String> networks = new ArrayList<>();
        for (JsonNode nic : body.path("networkInterfaces")) {
            String network = lastSegment(nic.path("network").asText(DEFAULT_NETWORK));
            networks.add(network);
            needed.add(new String[] {"compute.subnetworks.use", "projects/" + project + "/regions/" + region
                    + "/subnetworks/" + network});
            if (nic.path("accessConfigs").size() > 0) {
                needed.add(new String[] {"compute.subnetworks.useExternalIp", "projects/" + project + "/regions/"
                        + region + "/subnetworks/" + network});
            }
        }
        String instance = "projects/" + project + "/zones/" + zone + "/instances/" + name;
        if (body.path("metadata").path("items").size() > 0) {
            needed.add(new String[] {"compute.instances.setMetadata", instance});
        }
        if (body.path("labels").size() > 0) needed.add(new String[] {"compute.instances.setLabels", instance});
        for (String[] n : needed) {
            if (accounts.denied(Cloud.GCP, n[0])) throw GceError.forbidden(n[0], n[1]);
        }
        for (String network : networks) {
            if (!networkExists(network)) throw GceError.notFound("projects/" + project + "/global/networks/" + network);
        }
    }

    private static String relative(String url) {
        int projects = url.indexOf("projects/");
        return projects < 0 ? url : url.substring(projects);
    }

    private static String lastSegment(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
