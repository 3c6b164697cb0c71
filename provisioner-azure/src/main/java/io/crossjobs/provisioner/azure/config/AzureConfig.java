package io.crossjobs.provisioner.azure.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code crossjobs.azure.*}: how to reach Azure Resource Manager. The regions polled are {@code crossjobs.provisioner.regions}. */
@ConfigMapping(prefix = "crossjobs.azure")
public interface AzureConfig {

    /** Set to talk to mock-cloud's ARM front end (https) instead of Azure; then a fake bearer token is sent. */
    Optional<URI> endpointOverride();

    /** PEM certificate the HTTP client trusts besides the JDK's (mock-cloud's self-signed one). */
    Optional<String> trustCertificate();

    String subscriptionId();

    /** Tenant for DefaultAzureCredential; unset: the credential's own default. */
    Optional<String> tenantId();

    /** The one resource group all crossjobs VMs live in (it must exist). */
    @WithDefault("crossjobs")
    String resourceGroup();

    /** Marketplace image as publisher:offer:sku:version. */
    @WithDefault("Canonical:ubuntu-24_04-lts:server:latest")
    String image();

    /** VM size when the placement names none. */
    @WithDefault("Standard_D2s_v5")
    String defaultVmSize();

    /**
     * Subnet of each VM's NIC, with {subscription}, {resource-group} and {region} filled in (VNets are regional);
     * crossjobs then creates no network. Unset: crossjobs' own VNet {@code crossjobs-{region}} with subnet
     * {@code default} in the resource group, made on the first launch in the region.
     */
    Optional<String> subnetIdTemplate();

    /** Address space of each VNet crossjobs makes, and of its one subnet. */
    @WithDefault("10.0.0.0/16")
    String networkAddressPrefix();

    /**
     * {@code defaultOutboundAccess} of the subnet crossjobs makes: true keeps Azure's implicit outbound IP, so VMs
     * reach the internet without a NAT gateway; false makes it a private subnet (no internet unless you add one).
     */
    @WithDefault("true")
    boolean defaultOutboundAccess();

    /** Managed disk type of each VM's OS disk: StandardSSD_LRS works with every size; Premium_LRS needs an "s" size. */
    @WithDefault("StandardSSD_LRS")
    String osDiskType();

    @WithDefault("azureuser")
    String adminUsername();

    /**
     * SSH public key (OpenSSH text) of the admin user. Azure refuses a Linux VM with neither a password nor a key;
     * unset, each process makes a throwaway RSA key pair and keeps only the public half, so nobody can log in.
     */
    Optional<String> sshPublicKey();

    /** Delete (the VM goes away) or Deallocate (it stays, stopped) when Azure evicts a spot VM. */
    @WithDefault("Delete")
    String spotEvictionPolicy();

    /** The SDK's own retries of 429 and 5xx; unset keeps the SDK default. Core retries on top. */
    OptionalInt sdkMaxRetries();

    /** Upper bound of one HTTP call. */
    @WithDefault("60s")
    Duration callTimeout();

    /** Longest wait for a create operation to finish (its failure is only visible in the operation). */
    @WithDefault("10m")
    Duration operationTimeout();

    /** Where nodes ship their output and crossjobs' object store lives: {@code crossjobs.azure.storage.*}. */
    Storage storage();

    /**
     * A storage account that must exist (crossjobs makes no account: see the README, "Output"), its key, and a
     * container in it that crossjobs makes on first use. Each node appends to a blob of its own there.
     */
    interface Storage {
        /** The storage account's name (3-24 lower-case letters and digits). */
        String account();

        /**
         * The account's key (base64), e.g. from {@code az storage account keys list}: it signs the provisioner's own
         * requests (Shared Key) and each node's add-only SAS. Keep it out of the configuration file: set
         * {@code CROSSJOBS_AZURE_STORAGE_ACCOUNT_KEY}.
         */
        String accountKey();

        /** The container the output blobs live in; made when missing. */
        @WithDefault("crossjobs-output")
        String container();

        /**
         * crossjobs' object store in the same account: the container uploaded workdirs and files live in when a job
         * names no bucket of its own, made on first use and removed by {@code crossjobs store remove}. It must not be
         * {@link #container()}: removing the store deletes the container and everything in it.
         */
        @WithDefault("crossjobs-store")
        String storeContainer();

        /**
         * The account's blob endpoint when not Azure's {@code https://<account>.blob.core.windows.net}: mock-cloud's
         * path-style {@code http://127.0.0.1:10000/<account>}. Nodes reach the same address.
         */
        Optional<URI> endpointOverride();
    }
}
