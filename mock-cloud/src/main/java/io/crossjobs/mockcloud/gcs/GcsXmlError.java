package io.crossjobs.mockcloud.gcs;

/**
 * An XML API refusal as Cloud Storage writes it: {@code <Error><Code/><Message/><Details/></Error>}
 * (cloud.google.com/storage/docs/xml-api/reference-status); Details only when there is one.
 */
final class GcsXmlError extends RuntimeException {
    static final String POLICY_MESSAGE =
            "The content of the form does not meet the conditions specified in the policy document.";

    private final int status;
    private final String code;
    private final String details;

    GcsXmlError(int status, String code, String message, String details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    /** 400 InvalidPolicyDocument with the documented message and what was wrong in Details. */
    static GcsXmlError policy(String details) {
        return new GcsXmlError(400, "InvalidPolicyDocument", POLICY_MESSAGE, details);
    }

    static GcsXmlError invalidArgument(String details) {
        return new GcsXmlError(400, "InvalidArgument", "Invalid argument.", details);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String details() {
        return details;
    }

    String toXml() {
        StringBuilder x = new StringBuilder("<?xml version='1.0' encoding='UTF-8'?><Error><Code>").append(escape(code))
                .append("</Code><Message>").append(escape(getMessage())).append("</Message>");
        if (details != null) x.append("<Details>").append(escape(details)).append("</Details>");
        return x.append("</Error>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
