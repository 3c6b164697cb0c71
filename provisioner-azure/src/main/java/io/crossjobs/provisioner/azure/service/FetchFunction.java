package io.crossjobs.provisioner.azure.service;

/**
 * The body of a node's {@code crossjobs_fetch_secrets FILE} for Azure: Get Blob of the node's secrets blob into FILE
 * through its SAS URL, then Delete Blob through the same URL (learn.microsoft.com/rest/api/storageservices/get-blob,
 * .../delete-blob; the SAS grants read and delete on that one blob only, until it expires). curl writes into FILE
 * itself, which the script made readable by its user only. The GET must answer 2xx or the fetch fails and is tried
 * again; a DELETE answering 404 found the blob already gone (a retried fetch), and any other failed DELETE is said
 * and left to the cluster's output deletion, since FILE already holds the secrets. curl's messages name no URL.
 */
final class FetchFunction {
    private FetchFunction() { }

    /**
     * @param sasUrl  the secrets blob's URL with its read/delete SAS
     * @param version the service version sent as {@code x-ms-version}: the SAS's own {@code sv}
     */
    static String render(String sasUrl, String version) {
        if (sasUrl.indexOf('\'') >= 0 || version.indexOf('\'') >= 0) {
            throw new IllegalArgumentException("a SAS URL or version holding a single quote");
        }
        return """
                local url='%s' code
                curl -sS -f --connect-timeout 20 --max-time 120 -H 'x-ms-version: %s' -o "$1" "$url" || return 1
                code=$(curl -sS --connect-timeout 20 --max-time 60 --retry 3 -o /dev/null -w '%%{http_code}' \\
                  -X DELETE -H 'x-ms-version: %s' "$url")
                case "$code" in
                  2??|404) ;;
                  *) echo "crossjobs: Delete Blob of the stored secrets answered ${code:-nothing}; they are deleted with the cluster's output" ;;
                esac
                return 0
                """.formatted(sasUrl, version, version);
    }
}
