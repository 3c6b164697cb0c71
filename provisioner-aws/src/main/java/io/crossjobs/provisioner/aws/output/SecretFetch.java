package io.crossjobs.provisioner.aws.output;

import io.crossjobs.events.SecretDelivery;
import io.crossjobs.events.StartupScript;

/**
 * The body of {@code crossjobs_fetch_secrets FILE} for secrets waiting in S3: a pre-signed GET into FILE, then a
 * pre-signed DELETE of the object. The URLs sit in local variables and only curl sees them (never printed: the
 * node's output is shipped); curl's own messages (-sS) name no URL. The download goes to {@code FILE.part},
 * created under umask 077, and is moved onto FILE only when complete, so FILE holds either nothing or all of it.
 * That makes a retry after a lost DELETE answer safe: the GET then finds nothing (404), and a non-empty FILE is
 * the earlier, complete download. A DELETE answering 404 (gone already) is success too.
 */
final class SecretFetch {
    private SecretFetch() { }

    static SecretDelivery of(String getUrl, String deleteUrl) {
        String body = """
                local get=%s del=%s code
                code=$(umask 077; curl -sS --max-time 60 -o "$1.part" -w '%%{http_code}' "$get") || { rm -f "$1.part"; return 1; }
                case "$code" in
                  200) mv -f "$1.part" "$1" || return 1 ;;
                  404) rm -f "$1.part"; [ -s "$1" ] || { echo "crossjobs: the task's secrets are not stored (HTTP 404)"; return 1; } ;;
                  *) rm -f "$1.part"; echo "crossjobs: fetching the task's secrets answered HTTP $code"; return 1 ;;
                esac
                code=$(curl -sS --max-time 60 -o /dev/null -w '%%{http_code}' -X DELETE "$del") || return 1
                case "$code" in
                  2??|404) return 0 ;;
                  *) echo "crossjobs: deleting the stored secrets answered HTTP $code"; return 1 ;;
                esac
                """.formatted(StartupScript.quote(getUrl), StartupScript.quote(deleteUrl));
        return new SecretDelivery(body);
    }
}
