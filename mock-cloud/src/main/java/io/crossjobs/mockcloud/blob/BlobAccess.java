package io.crossjobs.mockcloud.blob;

import io.crossjobs.mockcloud.objects.QueryStrings;

import java.time.Clock;
import java.util.function.BooleanSupplier;

/**
 * What a request may do, decided before its body is read: which operation it is, on what, in which service
 * version, whether it is authenticated (Shared Key for the SDK's own calls, a service SAS for a node's pre-signed
 * requests) and whether a SAS grants the operation. Permission letters per operation as in
 * learn.microsoft.com/rest/api/storageservices/create-service-sas ("Permissions for a blob", "... for a container").
 */
final class BlobAccess {
    /** The operations served, with the SAS permissions that grant each (empty: no service SAS can). */
    enum Operation {
        CREATE_CONTAINER(""),
        DELETE_CONTAINER(""),
        CONTAINER_PROPERTIES("r"),
        LIST_BLOBS("l"),
        PUT_BLOB("cw"),
        APPEND_BLOCK("aw"),
        GET_BLOB("r"),
        BLOB_PROPERTIES("r"),
        DELETE_BLOB("d");

        final String sasPermissions;

        Operation(String sasPermissions) {
            this.sasPermissions = sasPermissions;
        }
    }

    /** The container and blob a path names; blob null for container-level requests. */
    record Target(String container, String blob) { }

    /**
     * @param sas     the verified SAS, or null for a Shared Key request
     * @param version the service version the request is served in
     */
    record Admitted(Target target, Operation operation, ServiceSas sas, String version) { }

    private final BlobConfig config;
    private final Clock clock;
    private final BooleanSupplier keyRevoked;

    /**
     * @param keyRevoked whether the account key was regenerated: every request signed with it, Shared Key or SAS,
     *                   then fails its signature check (learn.microsoft.com/azure/storage/common/storage-sas-overview:
     *                   regenerating the key a SAS was signed with revokes the SAS)
     */
    BlobAccess(BlobConfig config, Clock clock, BooleanSupplier keyRevoked) {
        this.config = config;
        this.clock = clock;
        this.keyRevoked = keyRevoked;
    }

    Admitted admit(BlobRequest r) {
        Target target = target(r.rawPath());
        Operation operation = operation(r, target);
        String version = version(r);
        String authorization = r.header("Authorization");
        ServiceSas sas = null;
        if (authorization != null) {
            String scheme = authorization.trim().split(" ", 2)[0];
            if (scheme.equals(SharedKey.SCHEME)) {
                if (r.header("x-ms-version") == null) throw BlobError.missingHeader("x-ms-version");
                if (keyRevoked.getAsBoolean()) throw revoked();
                SharedKey.verify(r, config, clock.instant());
            } else if (scheme.equals("Bearer")) {
                throw BlobError.authenticationFailed("Microsoft Entra ID (Bearer) authorization is not served by "
                        + "mock-cloud: sign with the account key (Shared Key) or a service SAS");
            } else {
                throw new BlobError(400, "InvalidAuthenticationInfo", "Authentication information is not given in "
                        + "the correct format. Check the value of Authorization header.");
            }
        } else if (ServiceSas.present(r)) {
            if (keyRevoked.getAsBoolean()) throw revoked();
            sas = ServiceSas.verify(r, config, target.container(), target.blob(), clock.instant());
            if (operation.sasPermissions.isEmpty()) throw BlobError.permissionMismatch();
            sas.require(operation.sasPermissions);
        } else {
            // containers are private: an anonymous caller is not told what exists
            throw BlobError.resourceNotFound();
        }
        return new Admitted(target, operation, sas, version);
    }

    /** A request signed with a key the account no longer has: its signature cannot match. */
    private static BlobError revoked() {
        return BlobError.authenticationFailed("The MAC signature found in the HTTP request is not the same as any "
                + "computed signature.");
    }

    /** Path-style: {@code /<account>/<container>[/<blob>]}, each part percent-decoded. */
    Target target(String rawPath) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        String[] parts = path.split("/", 3);
        if (parts.length < 2 || parts[1].isEmpty()) throw BlobError.notServed("A request on the account (service)");
        if (!QueryStrings.decode(parts[0]).equals(config.accountName())) throw BlobError.resourceNotFound();
        String container = QueryStrings.decode(parts[1]);
        String blob = parts.length < 3 || parts[2].isEmpty() ? null : QueryStrings.decode(parts[2]);
        return new Target(container, blob);
    }

    private static Operation operation(BlobRequest r, Target t) {
        String comp = r.param("comp");
        String method = r.method();
        if (t.blob() == null) {
            if (!"container".equals(r.param("restype"))) throw BlobError.notServed("A request on the root container");
            if (method.equals("PUT") && comp == null) return Operation.CREATE_CONTAINER;
            if (method.equals("DELETE") && comp == null) return Operation.DELETE_CONTAINER;
            if (method.equals("GET") && "list".equals(comp)) return Operation.LIST_BLOBS;
            if ((method.equals("GET") || method.equals("HEAD")) && comp == null) return Operation.CONTAINER_PROPERTIES;
            throw BlobError.notServed(method + " on a container" + (comp == null ? "" : " with comp=" + comp));
        }
        if (method.equals("PUT") && "appendblock".equals(comp)) return Operation.APPEND_BLOCK;
        if (comp == null) {
            switch (method) {
                case "PUT": return Operation.PUT_BLOB;
                case "GET": return Operation.GET_BLOB;
                case "HEAD": return Operation.BLOB_PROPERTIES;
                case "DELETE": return Operation.DELETE_BLOB;
                default: break;
            }
        }
        throw BlobError.notServed(method + " on a blob" + (comp == null ? "" : " with comp=" + comp));
    }

    /** {@code x-ms-version}, else the SAS's {@code sv}; a malformed or unserved one is refused. */
    private static String version(BlobRequest r) {
        String v = r.version();
        if (v == null) return null;
        if (!BlobVersions.wellFormed(v) || !BlobVersions.atLeast(v, BlobVersions.OLDEST)) {
            throw BlobError.invalidHeader("x-ms-version", v);
        }
        return v;
    }
}
