package io.crossjobs.mockcloud.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.quotas.QuotaGate;
import io.crossjobs.mockcloud.quotas.QuotaOverride;
import io.crossjobs.mockcloud.sim.AliveListener;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.EchoRunner;
import io.crossjobs.mockcloud.sim.MutableClock;
import io.crossjobs.mockcloud.sim.SimulatorSettings;
import io.crossjobs.mockcloud.sim.VmSimulator;

/** EC2's vCPU quotas per family group, on-demand and spot apart, counted on the instances alive. */
class Ec2QuotasTest {
    private static final String REGION = "us-east-1";
    private static final Pattern INSTANCE_ID = Pattern.compile("<instanceId>(i-[0-9a-f]+)</instanceId>");

    private final MutableClock clock = new MutableClock();
    private final QuotaGate quotas = QuotaGate.strict();
    private final VmSimulator sim = new VmSimulator(SimulatorSettings.defaults(), clock, new EchoRunner(),
            AliveListener.NONE, quotas);
    private final Ec2Api api = new Ec2Api(sim, new Ec2InstanceTypes(List.of()), Ec2Images.builtIn(),
            new Ec2Checks(false, true, true, true), "123456789012");

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void aGpuInstanceIsRefusedWithVcpuLimitExceededUntilTheGAndVtQuotaIsRaised() {
        Ec2Response refused = run("g5.xlarge", 1, false);
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.body().contains("<Code>VcpuLimitExceeded</Code>"), refused.body());
        assertTrue(refused.body().contains("You have requested more vCPU capacity than your current vCPU limit of 0"
                + " allows for the instance bucket that the specified instance type belongs to."), refused.body());
        assertEquals(0, sim.list().size(), "nothing was launched");

        Ec2Response spot = run("g5.xlarge", 1, true);
        assertEquals(400, spot.status(), spot.body());
        assertTrue(spot.body().contains("<Code>MaxSpotInstanceCountExceeded</Code>")
                && spot.body().contains("Max spot instance count exceeded"), spot.body());

        quotas.set(new QuotaOverride(Cloud.AWS, REGION, "L-DB2E81BA", 8));     // 8 vCPUs: two g5.xlarge
        assertEquals(200, run("g5.xlarge", 2, false).status());
        assertTrue(run("g5.xlarge", 1, false).body().contains("current vCPU limit of 8 allows"));
        assertEquals(400, run("g5.xlarge", 1, true).status(), "spot has a quota of its own");
        assertEquals(400, run("g5.xlarge", 1, false, "us-west-2").status(), "the increase was for us-east-1 only");
    }

    @Test
    void theStandardQuotaCountsTheVcpusAliveAndATerminatedInstanceGivesThemBack() {
        quotas.set(new QuotaOverride(Cloud.AWS, REGION, "L-1216C47A", 10));
        String first = id(run("m6i.2xlarge", 1, false));                        // 8 vCPUs
        assertEquals(400, run("t3.medium", 2, false).status(), "8 + 2 x 2 > 10");
        assertEquals(200, run("t3.medium", 1, false).status(), "8 + 2 = 10 fits");
        assertEquals(400, run("c6i.large", 1, false).status());
        assertEquals(200, run("c6i.large", 1, true).status(), "spot counts in the spot quota");

        assertEquals(200, call("Action", "TerminateInstances", "InstanceId.1", first).status());
        assertEquals(200, run("m6i.xlarge", 1, false).status(), "the terminated instance's 8 vCPUs are free again");
    }

    private Ec2Response run(String type, int count, boolean spot) {
        return run(type, count, spot, REGION);
    }

    private Ec2Response run(String type, int count, boolean spot, String region) {
        List<String> p = new ArrayList<>(List.of("Action", "RunInstances", "ImageId", "ami-0123456789abcdef0",
                "InstanceType", type, "MinCount", String.valueOf(count), "MaxCount", String.valueOf(count)));
        if (spot) p.addAll(List.of("InstanceMarketOptions.MarketType", "spot"));
        return callIn(region, p.toArray(String[]::new));
    }

    private Ec2Response call(String... kv) {
        return callIn(REGION, kv);
    }

    private Ec2Response callIn(String region, String... kv) {
        StringBuilder form = new StringBuilder("Version=2016-11-15");
        for (int i = 0; i < kv.length; i += 2) {
            form.append('&').append(kv[i]).append('=').append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return api.handle(region, QueryParams.parse(form.toString()));
    }

    private static String id(Ec2Response r) {
        assertEquals(200, r.status(), r.body());
        Matcher m = INSTANCE_ID.matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1);
    }
}
