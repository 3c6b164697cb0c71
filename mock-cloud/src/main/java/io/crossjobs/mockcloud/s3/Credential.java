package io.crossjobs.mockcloud.s3;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A SigV4 credential: {@code <access key id>/<yyyyMMdd>/<region>/<service>/aws4_request}. */
record Credential(String accessKeyId, String date, String region, String service) {
    private static final Pattern FORM = Pattern.compile("^([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request$");

    /** @return null when the text is not of that form */
    static Credential parse(String text) {
        if (text == null) return null;
        Matcher m = FORM.matcher(text);
        return m.matches() ? new Credential(m.group(1), m.group(2), m.group(3), m.group(4)) : null;
    }

    String scope() {
        return date + "/" + region + "/" + service + "/aws4_request";
    }
}
