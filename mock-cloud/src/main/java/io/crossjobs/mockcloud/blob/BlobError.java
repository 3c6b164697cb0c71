package io.crossjobs.mockcloud.blob;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error as Blob Storage answers it: HTTP status, the code (also sent as {@code x-ms-error-code}), the message,
 * and extra elements of the XML body such as {@code AuthenticationErrorDetail}. Codes, statuses and messages are
 * those of learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes and .../blob-service-error-codes.
 */
public class BlobError extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> details = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public BlobError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public BlobError detail(String element, Object value) {
        details.put(element, String.valueOf(value));
        return this;
    }

    public BlobError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> details() {
        return details;
    }

    static BlobError authenticationFailed(String detail) {
        return new BlobError(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the "
                + "value of Authorization header is formed correctly including the signature.")
                .detail("AuthenticationErrorDetail", detail);
    }

    static BlobError permissionMismatch() {
        return new BlobError(403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this "
                + "operation using this permission.");
    }

    static BlobError resourceTypeMismatch() {
        return new BlobError(403, "AuthorizationResourceTypeMismatch", "This request is not authorized to perform "
                + "this operation using this resource type.");
    }

    static BlobError invalidHeader(String name, String value) {
        return new BlobError(400, "InvalidHeaderValue", "The value for one of the HTTP headers is not in the correct "
                + "format.").detail("HeaderName", name).detail("HeaderValue", value);
    }

    static BlobError missingHeader(String name) {
        return new BlobError(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not "
                + "specified.").detail("HeaderName", name);
    }

    static BlobError invalidQuery(String name, String value, String reason) {
        return new BlobError(400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in "
                + "the request URI is invalid.").detail("QueryParameterName", name)
                .detail("QueryParameterValue", value).detail("Reason", reason);
    }

    static BlobError containerNotFound() {
        return new BlobError(404, "ContainerNotFound", "The specified container does not exist.");
    }

    static BlobError blobNotFound() {
        return new BlobError(404, "BlobNotFound", "The specified blob does not exist.");
    }

    static BlobError resourceNotFound() {
        return new BlobError(404, "ResourceNotFound", "The specified resource does not exist.");
    }

    static BlobError notServed(String what) {
        return new BlobError(501, "NotImplemented", what + " is not served by mock-cloud's Blob Storage front end.");
    }
}
