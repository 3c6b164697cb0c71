package io.crossjobs.mockcloud.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.crossjobs.mockcloud.sim.AliveListener;
import io.crossjobs.mockcloud.sim.VmView;

/**
 * Per job (the {@code crossjobs-job-id} tag), the most clusters that were alive (pending or running) at the
 * same moment, from the simulator's own instance lifetimes: a job launched twice at once shows 2 here even
 * when both launches were short-lived. A cluster is the {@code crossjobs-cluster} tag with the
 * {@code crossjobs-attempt} tag (two attempts of one cluster name are two clusters), else the instance.
 * Kept until {@code reset}; instances without a job tag are not recorded.
 */
public final class OverlapRecord implements AliveListener {
    static final String JOB_TAG = "crossjobs-job-id";
    static final String CLUSTER_TAG = "crossjobs-cluster";
    static final String ATTEMPT_TAG = "crossjobs-attempt";

    /** One job's record. {@code maxClustersAlive} above 1 means it ran twice at once. */
    public record JobOverlap(String jobId, int maxClustersAlive, int maxInstancesAlive, int instancesLaunched,
                             List<String> clustersAliveAtMax, int clustersAliveNow) { }

    private static final class Tally {
        final Map<String, Integer> aliveInstancesPerCluster = new HashMap<>();
        final Set<String> instancesSeen = new HashSet<>();
        int aliveInstances;
        int maxClusters;
        int maxInstances;
        List<String> clustersAtMax = List.of();
    }

    private final Map<String, Tally> jobs = new HashMap<>();

    @Override
    public synchronized void becameAlive(VmView vm) {
        String job = vm.tags().get(JOB_TAG);
        if (job == null) return;
        Tally t = jobs.computeIfAbsent(job, j -> new Tally());
        if (!t.instancesSeen.add(vm.id())) return;
        t.aliveInstancesPerCluster.merge(cluster(vm), 1, Integer::sum);
        t.aliveInstances++;
        t.maxInstances = Math.max(t.maxInstances, t.aliveInstances);
        if (t.aliveInstancesPerCluster.size() > t.maxClusters) {
            t.maxClusters = t.aliveInstancesPerCluster.size();
            t.clustersAtMax = t.aliveInstancesPerCluster.keySet().stream().sorted().toList();
        }
    }

    @Override
    public synchronized void stoppedBeingAlive(VmView vm) {
        String job = vm.tags().get(JOB_TAG);
        if (job == null) return;
        Tally t = jobs.get(job);
        if (t == null || !t.instancesSeen.contains(vm.id())) return;
        String cluster = cluster(vm);
        Integer left = t.aliveInstancesPerCluster.get(cluster);
        if (left == null) return;
        if (left <= 1) t.aliveInstancesPerCluster.remove(cluster);
        else t.aliveInstancesPerCluster.put(cluster, left - 1);
        t.aliveInstances--;
    }

    /** Every recorded job, the worst first; {@code minClusters} keeps only jobs that reached at least that. */
    public synchronized List<JobOverlap> jobs(int minClusters) {
        List<JobOverlap> out = new ArrayList<>();
        jobs.forEach((job, t) -> {
            if (t.maxClusters >= minClusters) {
                out.add(new JobOverlap(job, t.maxClusters, t.maxInstances, t.instancesSeen.size(),
                        t.clustersAtMax, t.aliveInstancesPerCluster.size()));
            }
        });
        out.sort(Comparator.comparingInt(JobOverlap::maxClustersAlive).reversed().thenComparing(JobOverlap::jobId));
        return out;
    }

    public synchronized void clear() {
        jobs.clear();
    }

    private static String cluster(VmView vm) {
        String cluster = vm.tags().get(CLUSTER_TAG);
        if (cluster == null || cluster.isBlank()) return "instance:" + vm.id();
        String attempt = vm.tags().get(ATTEMPT_TAG);
        return attempt == null ? cluster : cluster + "#" + attempt;
    }
}
