package io.crossjobs.mockcloud.quotas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.sim.Cloud;

/** How each cloud's quotas see an instance type: its vCPUs, its group or family, its GPUs. */
class QuotaRulesTest {
    private final InstanceShapes shapes = InstanceShapes.fromCatalog();

    @Test
    void vcpusComeFromTheCatalogThenFromTheTypesName() {
        assertEquals(4, shapes.vcpus(Cloud.AWS, "g5.xlarge").getAsInt());          // catalog
        assertEquals(96, shapes.vcpus(Cloud.AWS, "p4d.24xlarge").getAsInt());
        assertEquals(2, shapes.vcpus(Cloud.AWS, "t3.micro").getAsInt());
        assertEquals(1, shapes.vcpus(Cloud.AWS, "t2.micro").getAsInt());
        assertEquals(1, shapes.vcpus(Cloud.AWS, "m6g.medium").getAsInt());
        assertEquals(12, shapes.vcpus(Cloud.GCP, "a2-highgpu-1g").getAsInt());
        assertEquals(32, shapes.vcpus(Cloud.GCP, "n1-standard-32").getAsInt());
        assertEquals(6, shapes.vcpus(Cloud.GCP, "custom-6-23040").getAsInt());
        assertEquals(2, shapes.vcpus(Cloud.AZURE, "Standard_B2ms").getAsInt());
        assertEquals(96, shapes.vcpus(Cloud.AZURE, "Standard_ND96asr_v4").getAsInt());
        assertTrue(shapes.vcpus(Cloud.AZURE, "Basic_A0").isEmpty());
    }

    @Test
    void ec2GroupsFamiliesByTheirLetters() {
        Ec2QuotaRules ec2 = new Ec2QuotaRules(shapes);
        assertEquals("L-1216C47A", only(ec2.draws(vm(Cloud.AWS, "m6i.large", false), (s, m) -> 0)).metric());
        assertEquals("L-DB2E81BA", only(ec2.draws(vm(Cloud.AWS, "g4dn.xlarge", false), (s, m) -> 0)).metric());
        assertEquals("L-3819A6DF", only(ec2.draws(vm(Cloud.AWS, "g6e.xlarge", true), (s, m) -> 0)).metric());
        assertEquals("L-417A185B", only(ec2.draws(vm(Cloud.AWS, "p5.48xlarge", false), (s, m) -> 0)).metric());
        assertEquals(192, only(ec2.draws(vm(Cloud.AWS, "p5.48xlarge", false), (s, m) -> 0)).amount());
    }

    @Test
    void gceCountsSeriesInTheirOwnMetricAndCarriedGpusByModel() {
        GceQuotaRules gce = new GceQuotaRules(shapes);
        assertEquals(List.of(new Draw("us-central1", "A2_CPUS", 24), new Draw("global", "CPUS_ALL_REGIONS", 24),
                new Draw("us-central1", "NVIDIA_A100_GPUS", 2), new Draw("global", "GPUS_ALL_REGIONS", 2)),
                gce.draws(vm(Cloud.GCP, "a2-highgpu-2g", false), (s, m) -> 0));
        assertEquals(new Draw("us-central1", "NVIDIA_L4_GPUS", 2),
                gce.draws(vm(Cloud.GCP, "g2-standard-24", false), (s, m) -> 0).get(2));
        assertEquals("CPUS", gce.draws(vm(Cloud.GCP, "g2-standard-24", false), (s, m) -> 0).get(0).metric());
        assertEquals("NVIDIA_A100_80GB_GPUS", GceQuotaRules.gpuMetric("nvidia-a100-80gb"));
        assertEquals("NVIDIA_T4_GPUS", GceQuotaRules.gpuMetric("nvidia-tesla-t4"));
    }

    @Test
    void azureFamiliesAsUsageListNamesThem() {
        assertEquals("standardDSv5Family", ArmQuotaRules.family("Standard_D4s_v5"));
        assertEquals("standardDASv5Family", ArmQuotaRules.family("Standard_D8as_v5"));
        assertEquals("standardFSv2Family", ArmQuotaRules.family("Standard_F16s_v2"));
        assertEquals("standardNCASv3_T4Family", ArmQuotaRules.family("Standard_NC64as_T4_v3"));
        assertEquals("standardNCSv3Family", ArmQuotaRules.family("Standard_NC12s_v3"));
        assertEquals("standardBSFamily", ArmQuotaRules.family("Standard_B1s"));
        assertEquals("standardBSFamily", ArmQuotaRules.family("Standard_B2ms"));
        ArmQuotaRules arm = new ArmQuotaRules(shapes);
        assertEquals(0, arm.defaultLimit("standardNCASv3_T4Family"));
        assertEquals(1000, arm.defaultLimit("standardDSv5Family"));
    }

    @Test
    void configuredLimitsAreCloudRegionMetricEqualsLimit() {
        QuotaOverride o = QuotaOverride.parse("aws/us-east-1/L-DB2E81BA=64");
        assertEquals(new QuotaOverride(Cloud.AWS, "us-east-1", "L-DB2E81BA", 64), o);
        assertThrows(IllegalArgumentException.class, () -> QuotaOverride.parse("aws/L-DB2E81BA=64"));
        assertThrows(IllegalArgumentException.class, () -> QuotaOverride.parse("aws/*/L-DB2E81BA=-1"));
        QuotaGate gate = new QuotaGate(java.util.EnumSet.allOf(Cloud.class), QuotaGate.parse(List.of("aws/*/L-DB2E81BA=16")));
        assertEquals(16, limit(gate, Cloud.AWS, "eu-west-1", "L-DB2E81BA"));
        gate.set(new QuotaOverride(Cloud.AWS, "eu-west-1", "L-DB2E81BA", 32));
        assertEquals(32, limit(gate, Cloud.AWS, "eu-west-1", "L-DB2E81BA"));
        gate.reset();
        assertEquals(16, limit(gate, Cloud.AWS, "eu-west-1", "L-DB2E81BA"), "back to the configured limit");
    }

    private static double limit(QuotaGate gate, Cloud cloud, String region, String metric) {
        return gate.usage(cloud, region, List.of()).stream().filter(u -> u.metric().equals(metric)).findFirst()
                .orElseThrow().limit();
    }

    private static QuotaSubject vm(Cloud cloud, String type, boolean spot) {
        return new QuotaSubject(cloud, "us-central1", type, spot, null, 0);
    }

    private static Draw only(List<Draw> draws) {
        assertEquals(1, draws.size(), draws.toString());
        return draws.get(0);
    }
}
