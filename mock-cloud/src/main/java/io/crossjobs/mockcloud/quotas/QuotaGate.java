package io.crossjobs.mockcloud.quotas;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.LaunchAdmission;
import io.crossjobs.mockcloud.sim.LaunchRequest;
import io.crossjobs.mockcloud.sim.VmView;

/**
 * The vCPU and GPU quotas of the mock account, counted on the VMs alive (pending or running) as each cloud counts
 * them. A launch that would take any quota past its limit is refused with the cloud's own error; nothing is made.
 */
public final class QuotaGate implements LaunchAdmission {
    private final Map<Cloud, CloudQuotaRules> rules = new EnumMap<>(Cloud.class);
    private final Set<Cloud> enforced;
    private final QuotaLimits limits;

    /** @param enforced the clouds whose quotas refuse launches; the others are counted only */
    public QuotaGate(Set<Cloud> enforced, List<QuotaOverride> configured) {
        InstanceShapes shapes = InstanceShapes.fromCatalog();
        for (CloudQuotaRules r : List.of(new Ec2QuotaRules(shapes), new GceQuotaRules(shapes),
                new ArmQuotaRules(shapes))) {
            rules.put(r.cloud(), r);
        }
        this.enforced = enforced.isEmpty() ? EnumSet.noneOf(Cloud.class) : EnumSet.copyOf(enforced);
        this.limits = new QuotaLimits(rules, configured);
    }

    /** Every cloud enforced, at the mock account's default limits. */
    public static QuotaGate strict() {
        return new QuotaGate(EnumSet.allOf(Cloud.class), List.of());
    }

    /** Parses configuration entries {@code cloud/scope/metric=limit}. */
    public static List<QuotaOverride> parse(List<String> entries) {
        return entries.stream().filter(e -> !e.isBlank()).map(QuotaOverride::parse).toList();
    }

    @Override
    public void admit(LaunchRequest req, List<VmView> aliveInCloud) {
        if (!enforced.contains(req.cloud())) return;
        CloudQuotaRules r = rules.get(req.cloud());
        QuotaSubject subject = QuotaSubject.of(req);
        for (Draw wanted : draws(r, subject)) {
            double requested = wanted.amount() * req.count();
            double limit = limits.limit(req.cloud(), wanted.scope(), wanted.metric());
            double usage = usage(r, aliveInCloud, wanted);
            if (usage + requested > limit) {
                throw r.refusal(new Shortfall(subject, wanted, limit, usage, requested));
            }
        }
    }

    /** A cloud's quotas in a region (its global ones too) with what {@code alive} takes from them. */
    public List<QuotaUsage> usage(Cloud cloud, String region, List<VmView> alive) {
        CloudQuotaRules r = rules.get(cloud);
        List<VmView> ofCloud = alive.stream().filter(v -> v.cloud() == cloud && v.state().alive()).toList();
        List<QuotaUsage> out = new ArrayList<>();
        for (Draw d : r.listed(region)) {
            out.add(new QuotaUsage(cloud.id(), d.scope(), d.metric(), r.name(d.metric()),
                    limits.limit(cloud, d.scope(), d.metric()), usage(r, ofCloud, d)));
        }
        return out;
    }

    /** Sets one quota (an approved increase, or a decrease) until {@link #reset()}. */
    public void set(QuotaOverride override) {
        limits.set(override);
    }

    /** Back to the defaults and the configured limits. */
    public void reset() {
        limits.reset();
    }

    private double usage(CloudQuotaRules r, List<VmView> alive, Draw quota) {
        double used = 0;
        for (VmView vm : alive) {
            for (Draw d : draws(r, QuotaSubject.of(vm))) {
                if (d.metric().equals(quota.metric()) && d.scope().equalsIgnoreCase(quota.scope())) used += d.amount();
            }
        }
        return used;
    }

    private List<Draw> draws(CloudQuotaRules r, QuotaSubject vm) {
        return r.draws(vm, (scope, metric) -> limits.limit(r.cloud(), scope, metric));
    }
}
