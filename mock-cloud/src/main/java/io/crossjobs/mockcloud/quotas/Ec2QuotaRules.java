package io.crossjobs.mockcloud.quotas;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;

import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.SimulatedFault;

/**
 * EC2's vCPU-based instance quotas: per account and region, one On-Demand and one Spot quota per group of
 * instance families, counted in the vCPUs of the instances running (docs.aws.amazon.com/ec2/latest/instancetypes/
 * ec2-instance-quotas.html). Metrics are the Service Quotas codes a user files an increase against.
 */
final class Ec2QuotaRules implements CloudQuotaRules {
    private record Group(String onDemand, String onDemandName, String spot, String spotName) { }

    private static final Group STANDARD = new Group("L-1216C47A",
            "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances", "L-34B43A08",
            "All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests");
    private static final Group G_VT = new Group("L-DB2E81BA", "Running On-Demand G and VT instances",
            "L-3819A6DF", "All G and VT Spot Instance Requests");
    private static final Group P = new Group("L-417A185B", "Running On-Demand P instances", "L-7212CCBC",
            "All P Spot Instance Requests");
    private static final Group INF = new Group("L-1945791B", "Running On-Demand Inf instances", "L-B5D1601B",
            "All Inf Spot Instance Requests");
    /** By the family's leading letters (g4dn → g, inf2 → inf). Other groups (F, X, DL, Trn, HPC) are not modelled. */
    private static final Map<String, Group> GROUPS = Map.ofEntries(
            Map.entry("a", STANDARD), Map.entry("c", STANDARD), Map.entry("d", STANDARD), Map.entry("h", STANDARD),
            Map.entry("i", STANDARD), Map.entry("m", STANDARD), Map.entry("r", STANDARD), Map.entry("t", STANDARD),
            Map.entry("z", STANDARD), Map.entry("g", G_VT), Map.entry("vt", G_VT), Map.entry("p", P),
            Map.entry("inf", INF));
    /** A moderately raised account: 1,000 Standard vCPUs per region, on-demand and spot; GPU groups 0 as new. */
    static final double STANDARD_DEFAULT = 1000;

    private final InstanceShapes shapes;

    Ec2QuotaRules(InstanceShapes shapes) {
        this.shapes = shapes;
    }

    @Override
    public Cloud cloud() {
        return Cloud.AWS;
    }

    @Override
    public List<Draw> draws(QuotaSubject vm, ToDoubleBiFunction<String, String> limit) {
        Group group = group(vm.instanceType());
        var vcpus = shapes.vcpus(Cloud.AWS, vm.instanceType());
        if (group == null || vcpus.isEmpty()) return List.of();
        return List.of(new Draw(vm.region(), vm.spot() ? group.spot() : group.onDemand(), vcpus.getAsInt()));
    }

    static Group group(String type) {
        int dot = type.indexOf('.');
        String family = (dot < 0 ? type : type.substring(0, dot)).toLowerCase(Locale.ROOT);
        int letters = 0;
        while (letters < family.length() && Character.isLetter(family.charAt(letters))) letters++;
        return GROUPS.get(family.substring(0, letters));
    }

    @Override
    public double defaultLimit(String metric) {
        return metric.equals(STANDARD.onDemand()) || metric.equals(STANDARD.spot()) ? STANDARD_DEFAULT : 0;
    }

    @Override
    public List<Draw> listed(String region) {
        List<Draw> out = new ArrayList<>();
        for (Group g : List.of(STANDARD, G_VT, P, INF)) {
            out.add(new Draw(region, g.onDemand(), 0));
            out.add(new Draw(region, g.spot(), 0));
        }
        return out;
    }

    @Override
    public String name(String metric) {
        for (Group g : List.of(STANDARD, G_VT, P, INF)) {
            if (g.onDemand().equals(metric)) return g.onDemandName();
            if (g.spot().equals(metric)) return g.spotName();
        }
        return metric;
    }

    /**
     * On-Demand: 400 {@code VcpuLimitExceeded} naming the limit; Spot: 400 {@code MaxSpotInstanceCountExceeded}
     * "Max spot instance count exceeded" (what RunInstances answers for a spot market request).
     */
    @Override
    public SimulatedFault refusal(Shortfall s) {
        if (s.subject().spot()) return new SimulatedFault("MaxSpotInstanceCountExceeded", 400, "Max spot instance count exceeded");
        return new SimulatedFault("VcpuLimitExceeded", 400, "You have requested more vCPU capacity than your current"
                + " vCPU limit of " + (long) s.limit() + " allows for the instance bucket that the specified instance"
                + " type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an"
                + " adjustment to this limit.");
    }
}
