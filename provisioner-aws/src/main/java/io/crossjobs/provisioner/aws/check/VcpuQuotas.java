package io.crossjobs.provisioner.aws.check;

import software.amazon.awssdk.services.ec2.model.Instance;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * EC2's On-Demand vCPU quotas crossjobs' types draw from, per region (docs.aws.amazon.com/ec2/latest/instancetypes/
 * ec2-instance-quotas.html), and what the account's instances take from them. Policy only: no calls.
 */
final class VcpuQuotas {

    /** One On-Demand quota: its Service Quotas code and the instance families (leading letters) it counts. */
    record Group(String quotaCode, String name, List<String> families) {
        boolean counts(String instanceType) {
            return families.contains(familyLetters(instanceType));
        }
    }

    /** Where the catalog's CPU types run: a region without any of it left launches nothing but GPUs. */
    static final Group STANDARD = new Group("L-1216C47A", "Standard (A, C, D, H, I, M, R, T, Z)",
            List.of("a", "c", "d", "h", "i", "m", "r", "t", "z"));
    /** GPU groups: only reported, a new account has 0 of them and most jobs need none. */
    static final List<Group> GPU = List.of(new Group("L-DB2E81BA", "G and VT", List.of("g", "vt")),
            new Group("L-417A185B", "P", List.of("p")));

    private VcpuQuotas() { }

    /**
     * vCPUs that pending and running On-Demand instances of {@code group} take: cores × threads per core, as
     * DescribeInstances' {@code cpuOptions} tells them. Spot instances count in the Spot quotas instead.
     *
     * @return empty when an instance of the group does not tell its CPU options
     */
    static Optional<Integer> used(Group group, List<Instance> alive) {
        int used = 0;
        for (Instance i : alive) {
            if ("spot".equals(i.instanceLifecycleAsString()) || !group.counts(i.instanceTypeAsString())) continue;
            if (i.cpuOptions() == null || i.cpuOptions().coreCount() == null) return Optional.empty();
            int threads = i.cpuOptions().threadsPerCore() == null ? 1 : i.cpuOptions().threadsPerCore();
            used += i.cpuOptions().coreCount() * threads;
        }
        return Optional.of(used);
    }

    /** "g4dn.xlarge" → "g", "vt1.3xlarge" → "vt", "t3.micro" → "t". */
    static String familyLetters(String instanceType) {
        String t = instanceType == null ? "" : instanceType.toLowerCase(Locale.ROOT);
        int n = 0;
        while (n < t.length() && Character.isLetter(t.charAt(n))) n++;
        return t.substring(0, n);
    }
}
