package io.crossjobs.events;

/** What {@code crossjobs check} looks at in a cloud account, in the order it is reported. */
public enum CheckAspect {
    /** Credentials are found and the cloud accepts them. */
    CREDENTIALS,
    /** The principal holds every permission the provisioner uses. */
    PERMISSIONS,
    /** The configured regions are enabled for the account. */
    REGIONS,
    /** vCPU quota left in the configured regions (GPUs only reported). */
    QUOTAS,
    /** What launches need besides: a default VPC per region, the VPC network, the resource group. */
    NETWORK,
    /** The object storage the nodes ship their output to. */
    STORAGE
}
