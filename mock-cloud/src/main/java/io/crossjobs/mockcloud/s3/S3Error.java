package io.crossjobs.mockcloud.s3;

import java.util.LinkedHashMap;
import java.util.Map;

/** An S3 error: HTTP status, S3's code and message, and the extra elements S3 puts into the XML body. */
public class S3Error extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> details = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public S3Error(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public S3Error detail(String element, Object value) {
        details.put(element, String.valueOf(value));
        return this;
    }

    public S3Error header(String name, String value) {
        headers.put(name, value);
        return this;
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

    public Map<String, String> headers() {
        return headers;
    }

    static S3Error noSuchBucket(String bucket) {
        return new S3Error(404, "NoSuchBucket", "The specified bucket does not exist").detail("BucketName", bucket);
    }

    static S3Error noSuchKey(String key) {
        return new S3Error(404, "NoSuchKey", "The specified key does not exist.").detail("Key", key);
    }

    static S3Error accessDenied(String message) {
        return new S3Error(403, "AccessDenied", message);
    }

    static S3Error invalidArgument(String message, String name, String value) {
        S3Error e = new S3Error(400, "InvalidArgument", message);
        if (name != null) e.detail("ArgumentName", name).detail("ArgumentValue", value);
        return e;
    }

    static S3Error malformedXml() {
        return new S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate "
                + "against our published schema");
    }

    static S3Error queryAuth(String message) {
        return new S3Error(400, "AuthorizationQueryParametersError", message);
    }
}
