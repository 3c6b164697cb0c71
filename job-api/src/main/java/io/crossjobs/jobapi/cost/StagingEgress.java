package io.crossjobs.jobapi.cost;

import io.crossjobs.catalog.EgressPrices;
import io.crossjobs.events.FileMount;
import io.crossjobs.events.StorageUris;
import io.crossjobs.events.TaskSpec;

import java.util.List;

/**
 * The egress of staging a job's files: every node of every launch fetches each of its task's mounts from the mount's
 * cloud ({@link StorageUris#cloudOf}); a mount from another cloud than the one the nodes run on leaves its cloud over
 * the internet and is billed by it at {@link EgressPrices}. No I/O.
 * <p>
 * What it knows of a job is what the jobs row holds. Launches whose nodes came up: none before the job first ran
 * ({@code startedAt} null); then one per pipeline task up to the current one, plus one per recovery and restart
 * ({@code recoveryCount + restartCount}, counted with the current task). Every launch is taken to have run on the
 * job's current (or last) cloud, the only one the row names. Same-cloud staging counts 0: it may cross regions, but
 * the store's region is not known here. A bucket mount's size is known only when it is listed at launch, so it
 * counts 0 and is counted in {@code unsizedBuckets} instead.
 */
final class StagingEgress {
    static final CostReport.Egress NONE = new CostReport.Egress(0, 0, 0, 0);

    private final EgressPrices prices;

    StagingEgress(EgressPrices prices) {
        this.prices = prices;
    }

    /** {@code tasks}: the job's pipeline, in order (empty when unknown: nothing is counted). */
    CostReport.Egress of(JobCostRow job, List<TaskSpec> tasks) {
        if (job.startedAt() == null || job.cloud() == null || tasks == null || tasks.isEmpty()) return NONE;
        int current = Math.min(Math.max(job.taskIndex(), 0), tasks.size() - 1);
        int relaunches = Math.max(0, job.recoveryCount()) + Math.max(0, job.restartCount());
        int launches = 0;
        long bytes = 0;
        double usd = 0;
        int unsizedBuckets = 0;
        for (int i = 0; i <= current; i++) {
            TaskSpec task = tasks.get(i);
            int times = i == current ? 1 + relaunches : 1;
            launches += times;
            for (FileMount mount : task.fileMounts()) {
                String from = StorageUris.cloudOf(mount.uri()).orElse(null);
                if (from == null || from.equalsIgnoreCase(job.cloud())) continue;
                if (mount.source() == FileMount.Source.BUCKET) {
                    unsizedBuckets++;
                    continue;
                }
                long fetched = mount.bytes() * task.numNodes() * times;
                bytes += fetched;
                usd += prices.internet(from).map(p -> p.usd(fetched)).orElse(0d);
            }
        }
        return new CostReport.Egress(launches, bytes, Money.round(usd), unsizedBuckets);
    }
}
