package io.crossjobs.mockcloud.gcs;

import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.sim.Cloud;

/**
 * The mock account's faults as Cloud Storage shows them. The JSON API's caller and the signer of every policy and
 * signed URL is the one service account ({@code mock-cloud.gcs.service-account}): a revoked credential is its key
 * revoked, so the JSON API answers 401 {@code authError} and signatures by that key no longer verify (403
 * {@code SignatureDoesNotMatch}, as for an unknown key); a denied permission is 403 on the JSON API ({@code
 * forbidden}) and on signed requests, which act as their signer ({@code AccessDenied}).
 */
final class GcsAccess {
    private final Accounts accounts;
    private final String caller;

    GcsAccess(Accounts accounts, String caller) {
        this.accounts = accounts;
        this.caller = caller;
    }

    /** Everything allowed: for front ends built without an account (unit tests). */
    static GcsAccess unrestricted(String caller) {
        return new GcsAccess(null, caller);
    }

    boolean revoked() {
        return accounts != null && accounts.credentialsRevoked(Cloud.GCP);
    }

    private boolean denied(String permission) {
        return accounts != null && accounts.denied(Cloud.GCP, permission);
    }

    /** Any JSON API call: 401 {@code authError} "Invalid Credentials" when the credential is revoked. */
    void authenticate() {
        if (revoked()) throw new GcsJsonError(401, "authError", "Invalid Credentials");
    }

    /** A JSON API call that needs {@code permission} on a {@code bucket} or an {@code object}. */
    void json(String permission, String kind) {
        authenticate();
        if (denied(permission)) throw new GcsJsonError(403, "forbidden", refusal(permission, kind));
    }

    /** A request signed by the account (form POST, signed URL), once its signature verified. */
    void signed(String permission) {
        if (denied(permission)) throw new GcsXmlError(403, "AccessDenied", "Access denied.", refusal(permission, "object"));
    }

    private String refusal(String permission, String kind) {
        return caller + " does not have " + permission + " access to the Google Cloud Storage " + kind
                + ". Permission '" + permission + "' denied on resource (or it may not exist).";
    }
}
