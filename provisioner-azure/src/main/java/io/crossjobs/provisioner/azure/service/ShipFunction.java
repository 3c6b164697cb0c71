package io.crossjobs.provisioner.azure.service;

/**
 * The body of a node's {@code crossjobs_ship FILE OFFSET} for Azure: one Append Block with curl through the blob's
 * add-only SAS URL, conditioned on the append position being OFFSET
 * (learn.microsoft.com/rest/api/storageservices/append-block, {@code x-ms-blob-condition-appendpos}). A chunk whose
 * answer was lost is shipped again and refused 412 AppendPositionConditionNotMet: its bytes are already there, so
 * that refusal counts as stored and nothing is appended twice. Any other answer is a failure, tried again by the
 * caller. The URL holds no account credential: its SAS may only add blocks to this one blob until it expires.
 */
final class ShipFunction {
    private ShipFunction() { }

    /**
     * @param sasUrl  the blob's URL with its SAS query
     * @param version the service version sent as {@code x-ms-version}: the SAS's own {@code sv}
     */
    static String render(String sasUrl, String version) {
        if (sasUrl.indexOf('\'') >= 0 || version.indexOf('\'') >= 0) {
            throw new IllegalArgumentException("a SAS URL or version holding a single quote: " + sasUrl);
        }
        return """
                local answer
                answer=$(curl -sS --connect-timeout 20 --max-time 600 -o /dev/null -D - -X PUT \\
                  -H 'x-ms-version: %s' -H "x-ms-blob-condition-appendpos: $2" \\
                  -H 'Content-Type: application/octet-stream' --data-binary @"$1" \\
                  '%s&comp=appendblock') || return 1
                printf '%%s\\n' "$answer" | grep -q '^HTTP/[0-9.]* 201' && return 0
                printf '%%s\\n' "$answer" | grep -qi '^x-ms-error-code: *AppendPositionConditionNotMet' && return 0
                echo "crossjobs: Append Block at byte $2 answered: $(printf '%%s\\n' "$answer" | grep -i '^HTTP/\\|^x-ms-error-code' | tr -d '\\r' | tr '\\n' ' ')"
                return 1
                """.formatted(version, sasUrl);
    }
}
