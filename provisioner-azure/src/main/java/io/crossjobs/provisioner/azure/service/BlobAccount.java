package io.crossjobs.provisioner.azure.service;

import com.azure.core.http.HttpClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.sas.SasProtocol;
import io.crossjobs.provisioner.azure.config.AzureConfig;

import java.net.URI;

/**
 * The configured storage account as the azure-storage-blob SDK reaches it: one client, signed with the account key
 * (Shared Key), at Azure's {@code https://<account>.blob.core.windows.net} or the endpoint override (mock-cloud's
 * path-style address). Output, secrets and the object store all go through it.
 */
final class BlobAccount {
    private final BlobServiceClient service;
    private final String name;
    private final boolean https;

    BlobAccount(AzureConfig.Storage config, HttpClient http) {
        URI endpoint = config.endpointOverride()
                .orElse(URI.create("https://" + config.account() + ".blob.core.windows.net"));
        this.name = config.account();
        this.https = "https".equalsIgnoreCase(endpoint.getScheme());
        this.service = new BlobServiceClientBuilder().endpoint(endpoint.toString()).httpClient(http)
                .credential(new StorageSharedKeyCredential(config.account(), config.accountKey())).buildClient();
    }

    String name() {
        return name;
    }

    BlobContainerClient container(String container) {
        return service.getBlobContainerClient(container);
    }

    /**
     * The protocol a SAS allows: https only, as on Azure; https and http when the endpoint is plain http
     * (mock-cloud), or a node could not use it there.
     */
    SasProtocol sasProtocol() {
        return https ? SasProtocol.HTTPS_ONLY : SasProtocol.HTTPS_HTTP;
    }

    /** The SAS's {@code sv}: the service version its requests are sent in. */
    static String signedVersion(String sas) {
        for (String pair : sas.split("&")) {
            if (pair.startsWith("sv=")) return pair.substring(3);
        }
        throw new IllegalStateException("a SAS without sv: " + sas);
    }
}
