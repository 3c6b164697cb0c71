package io.crossjobs.mockcloud.ec2;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the region out of a SigV4 credential scope: {@code Credential=AKID/20261128/us-east-1/ec2/aws4_request}. */
public final class SigV4 {
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/,\\s]+/\\d{8}/([^/,\\s]+)/[^/,\\s]+/aws4_request");
    private static final Pattern SERVICE = Pattern.compile("Credential=[^/,\\s]+/\\d{8}/[^/,\\s]+/([^/,\\s]+)/aws4_request");
    private static final Pattern QUERY_SCOPE = Pattern.compile("^[^/]+/\\d{8}/([^/]+)/[^/]+/aws4_request$");

    private SigV4() { }

    /**
     * @param authorization         the Authorization header, or null
     * @param credentialQueryParam  X-Amz-Credential of a presigned request, or null
     * @return the region of the credential scope, or {@code fallback}
     */
    public static String region(String authorization, String credentialQueryParam, String fallback) {
        if (authorization != null) {
            Matcher m = SCOPE.matcher(authorization);
            if (m.find()) return m.group(1);
        }
        if (credentialQueryParam != null) {
            Matcher m = QUERY_SCOPE.matcher(credentialQueryParam);
            if (m.matches()) return m.group(1);
        }
        return fallback;
    }

    /** The service of the Authorization header's credential scope ({@code ec2}, {@code sts}, ...), or null. */
    public static String service(String authorization) {
        if (authorization == null) return null;
        Matcher m = SERVICE.matcher(authorization);
        return m.find() ? m.group(1) : null;
    }
}
