package io.crossjobs.cli.command;

import io.crossjobs.cli.CrossjobsCli;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** What several finished jobs mean together: the exit code of {@code wait} and a count by status. */
final class JobOutcomes {
    private JobOutcomes() { }

    /** 0 when every job SUCCEEDED; 100 when one failed (whatever else ended); otherwise 103, one was cancelled. */
    static int exitCode(Collection<String> statuses) {
        if (statuses.stream().anyMatch(s -> s.startsWith("FAILED"))) return CrossjobsCli.JOB_FAILED;
        if (statuses.contains("CANCELLED")) return CrossjobsCli.JOB_CANCELLED;
        return 0;
    }

    /** "2 SUCCEEDED, 1 FAILED", by status name. */
    static String count(Collection<String> statuses) {
        Map<String, Integer> by = new TreeMap<>();
        statuses.forEach(s -> by.merge(s, 1, Integer::sum));
        StringBuilder text = new StringBuilder();
        by.forEach((status, n) -> text.append(text.isEmpty() ? "" : ", ").append(n).append(' ').append(status));
        return text.toString();
    }
}
