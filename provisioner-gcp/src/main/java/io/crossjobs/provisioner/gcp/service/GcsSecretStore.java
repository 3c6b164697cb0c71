package io.crossjobs.provisioner.gcp.service;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.provisioner.OutputObjects;
import io.crossjobs.provisioner.model.ClusterKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A node's secrets in Cloud Storage (job-events {@link SecretDelivery}): one private object,
 * {@link OutputObjects#secretKey}, in the output bucket, written with the JSON API (objects.insert; a replayed
 * launch writes it again), and two V4 signed URLs of the XML API (GOOG4-RSA-SHA256, signed by the same service
 * account as the upload policies, cloud.google.com/storage/docs/access-control/signed-urls) that GET it once and
 * DELETE it. The object lies under the cluster's prefix, so {@link GcsOutputStore#delete} removes it when the node
 * never fetched it.
 */
@ApplicationScoped
public class GcsSecretStore {
    private final GcsClients clients;
    private final GcsOutputStore output;

    public GcsSecretStore(GcsClients clients, GcsOutputStore output) {
        this.clients = clients;
        this.output = output;
    }

    public SecretDelivery deliver(ClusterKey cluster, int rank, String content, Duration validity) {
        output.ensureBucket();
        Storage storage = clients.storage();
        BlobInfo blob = BlobInfo.newBuilder(BlobId.of(output.bucket(), output.secretKey(cluster, rank)))
                .setContentType("text/plain; charset=utf-8").build();
        storage.create(blob, content.getBytes(StandardCharsets.UTF_8));
        return fetchFunction(clients.signUrl(blob, HttpMethod.GET, validity),
                clients.signUrl(blob, HttpMethod.DELETE, validity));
    }

    /**
     * The body of {@code crossjobs_fetch_secrets FILE}: GET into FILE (curl fails on any HTTP error), then DELETE,
     * which may find the object gone (404: a retry after a lost answer). curl never prints the URLs: {@code -sS}
     * shows errors without them, and the failure line names only the status. Policy without I/O.
     */
    static SecretDelivery fetchFunction(URL get, URL delete) {
        String curl = "curl -sS --connect-timeout 10 --max-time 60 ";
        String body = curl + "-f -o \"$1\" " + GcsUploadPolicy.quote(get.toString()) + " || return 1\n"
                + "local status\n"
                + "status=$(" + curl + "-o /dev/null -w '%{http_code}' -X DELETE "
                + GcsUploadPolicy.quote(delete.toString()) + ") || return 1\n"
                + "case \"$status\" in\n"
                + "  200|204|404) return 0 ;;\n"
                + "  *) echo \"crossjobs: deleting the stored secrets answered HTTP $status\"; return 1 ;;\n"
                + "esac";
        return new SecretDelivery(body);
    }
}
