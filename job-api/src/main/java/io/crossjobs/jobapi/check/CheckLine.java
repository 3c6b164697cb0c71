package io.crossjobs.jobapi.check;

import io.crossjobs.events.AccountChecked;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one line per cloud that {@code crossjobs check} prints, as SkyPilot's {@code sky check} does: enabled with what
 * was found, or disabled with the first thing wrong and its fix.
 */
public final class CheckLine {

    static String pending(String cloud) {
        return cloud + ": waiting for provisioner-" + cloud + " to answer";
    }

    static String answered(String cloud, List<AccountChecked.Finding> findings) {
        List<AccountChecked.Finding> failed = findings.stream().filter(f -> !f.ok()).toList();
        if (failed.isEmpty()) {
            return cloud + ": enabled — " + findings.stream().map(CheckLine::part).collect(Collectors.joining("; "));
        }
        AccountChecked.Finding first = failed.get(0);
        String more = failed.size() == 1 ? "" : " (" + (failed.size() - 1) + " more not ready: "
                + failed.subList(1, failed.size()).stream().map(f -> aspect(f)).collect(Collectors.joining(", ")) + ")";
        return cloud + ": disabled — " + part(first) + ". Fix: " + first.fix() + more;
    }

    private static String part(AccountChecked.Finding f) {
        return aspect(f) + ": " + f.detail();
    }

    private static String aspect(AccountChecked.Finding f) {
        return f.aspect().name().toLowerCase(Locale.ROOT);
    }

    private CheckLine() { }
}
