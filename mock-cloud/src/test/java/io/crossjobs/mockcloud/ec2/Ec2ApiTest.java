package io.crossjobs.mockcloud.ec2;

import io.crossjobs.mockcloud.sim.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.crossjobs.mockcloud.sim.SimulatorSettings;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.crossjobs.mockcloud.sim.VmView;

/** The EC2 Query front end on a hand-driven simulator: request parameters in, EC2 XML out. */
class Ec2ApiTest {
    private final MutableClock clock = new MutableClock();
    /** Echoes the user data to the console, as often as a {@code # echo N times} line in it says (else once). */
    private final VmSimulator sim = new VmSimulator(SimulatorSettings.defaults(), clock, (vm, userData, console) -> {
        String text = new String(userData, StandardCharsets.UTF_8);
        java.util.regex.Matcher times = java.util.regex.Pattern.compile("# echo (\\d+) times").matcher(text);
        int n = times.find() ? Integer.parseInt(times.group(1)) : 1;
        for (int i = 0; i < n; i++) console.append(text);
        return null;
    });
    private final Ec2Api api = new Ec2Api(sim, new Ec2InstanceTypes(List.of()), Ec2Images.builtIn(), Ec2Checks.STRICT,
            "123456789012");
    /** Stands for the request region's Ubuntu 22.04 image in {@link #run}; {@link #call} puts the id in. */
    private static final String REGION_IMAGE = "<region's ubuntu image>";

    @AfterEach
    void close() {
        sim.close();
    }

    // ---------------------------------------------------------------- helpers

    private static String form(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private Ec2Response call(String region, Map<String, String> params) {
        params.putIfAbsent("Version", "2016-11-15");
        params.replaceAll((k, v) -> v.equals(REGION_IMAGE) ? ubuntu(region) : v);
        return api.handle(region, QueryParams.parse(form(params)));
    }

    private Document ok(String region, Map<String, String> params) {
        Ec2Response r = call(region, params);
        assertEquals(200, r.status(), r.body());
        Document doc = parse(r.body());
        assertEquals(Ec2Xml.NAMESPACE, doc.getDocumentElement().getAttribute("xmlns"));
        assertEquals(params.get("Action") + "Response", doc.getDocumentElement().getTagName());
        assertEquals(r.requestId(), text(doc.getDocumentElement(), "requestId"));
        return doc;
    }

    private void error(int status, String code, String region, Map<String, String> params) {
        Ec2Response r = call(region, params);
        assertEquals(status, r.status(), r.body());
        Document doc = parse(r.body());
        Element root = doc.getDocumentElement();
        assertEquals("Response", root.getTagName());
        Element error = child(child(root, "Errors"), "Error");
        assertEquals(code, text(error, "Code"), r.body());
        assertTrue(!text(error, "Message").isEmpty());
        assertEquals(r.requestId(), text(root, "RequestID"));
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not XML: " + xml, e);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) return e;
        }
        return null;
    }

    private static List<Element> items(Element set) {
        List<Element> items = new ArrayList<>();
        if (set == null) return items;
        for (Node n = set.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("item")) items.add(e);
        }
        return items;
    }

    private static String text(Element parent, String path) {
        Element e = parent;
        for (String part : path.split("/")) {
            e = child(e, part);
            if (e == null) return null;
        }
        return e.getTextContent();
    }

    private Map<String, String> run(String... extra) {
        Map<String, String> p = params("Action", "RunInstances", "ImageId", REGION_IMAGE,
                "InstanceType", "t3.micro", "MinCount", "1", "MaxCount", "1");
        p.putAll(params(extra));
        return p;
    }

    private static String ubuntu(String region) {
        return Ec2Images.builtIn().byParameter(region, Ec2Images.UBUNTU_2204_AMD64).orElseThrow().id();
    }

    private List<Element> instancesOf(Document describe) {
        List<Element> all = new ArrayList<>();
        for (Element r : items(child(describe.getDocumentElement(), "reservationSet"))) {
            all.addAll(items(child(r, "instancesSet")));
        }
        return all;
    }

    // ---------------------------------------------------------------- tests

    @Test
    void runInstancesAnswersWithTheReservation() {
        String userData = Base64.getEncoder().encodeToString("#!/bin/bash\necho hi\n".getBytes());
        Document doc = ok("eu-west-1", run("MinCount", "2", "MaxCount", "2", "Placement.AvailabilityZone", "eu-west-1c",
                "TagSpecification.1.ResourceType", "instance",
                "TagSpecification.1.Tag.1.Key", "crossjobs-job-id", "TagSpecification.1.Tag.1.Value", "job-1",
                "TagSpecification.1.Tag.2.Key", "Name", "TagSpecification.1.Tag.2.Value", "a<b",
                "TagSpecification.2.ResourceType", "volume",
                "TagSpecification.2.Tag.1.Key", "vol", "TagSpecification.2.Tag.1.Value", "only-on-volumes",
                "UserData", userData, "InstanceMarketOptions.MarketType", "spot", "ClientToken", "tok-1"));
        Element root = doc.getDocumentElement();
        assertTrue(text(root, "reservationId").matches("r-[0-9a-f]{17}"));
        assertEquals("123456789012", text(root, "ownerId"));
        List<Element> instances = items(child(root, "instancesSet"));
        assertEquals(2, instances.size());
        Element i = instances.get(0);
        assertTrue(text(i, "instanceId").matches("i-[0-9a-f]{17}"));
        assertEquals(ubuntu("eu-west-1"), text(i, "imageId"));
        assertEquals("0", text(i, "instanceState/code"));
        assertEquals("pending", text(i, "instanceState/name"));
        assertEquals("pending", text(i, "stateReason/code"));
        assertEquals("t3.micro", text(i, "instanceType"));
        assertEquals("eu-west-1c", text(i, "placement/availabilityZone"));
        assertEquals("spot", text(i, "instanceLifecycle"));
        assertTrue(text(i, "spotInstanceRequestId").startsWith("sir-"));
        assertEquals("tok-1", text(i, "clientToken"));
        assertEquals("0", text(i, "amiLaunchIndex"));
        assertEquals("1", text(instances.get(1), "amiLaunchIndex"));
        assertTrue(text(i, "privateIpAddress").matches("10\\.\\d+\\.\\d+\\.\\d+"));
        assertTrue(text(i, "privateDnsName").endsWith(".eu-west-1.compute.internal"));
        assertNotEquals(text(i, "privateIpAddress"), text(instances.get(1), "privateIpAddress"));
        assertEquals(Ec2Xml.timestamp(clock.instant()), text(i, "launchTime"));
        Map<String, String> tags = new LinkedHashMap<>();
        for (Element t : items(child(i, "tagSet"))) tags.put(text(t, "key"), text(t, "value"));
        assertEquals(Map.of("crossjobs-job-id", "job-1", "Name", "a<b"), tags);
    }

    @Test
    void defaultsZoneAndOnDemand() {
        Element i = items(child(ok("us-east-1", run()).getDocumentElement(), "instancesSet")).get(0);
        assertEquals("us-east-1a", text(i, "placement/availabilityZone"));
        assertEquals(null, text(i, "instanceLifecycle"));
        assertEquals(null, child(i, "tagSet"));
        assertTrue(text(i, "privateDnsName").endsWith(".ec2.internal"));
    }

    @Test
    void runInstancesValidation() {
        error(400, "MissingParameter", "us-east-1", params("Action", "RunInstances", "MinCount", "1", "MaxCount", "1"));
        error(400, "InvalidParameterValue", "us-east-1", run("InstanceType", "t3.mirco"));
        error(400, "MissingParameter", "us-east-1", params("Action", "RunInstances", "ImageId", "ami-1"));
        error(400, "InvalidParameterValue", "us-east-1", run("MinCount", "3", "MaxCount", "2"));
        error(400, "InvalidParameterValue", "us-east-1", run("MinCount", "0"));
        error(400, "InvalidParameterValue", "us-east-1", run("MaxCount", "two"));
        error(400, "InvalidParameterValue", "us-east-1", run("Placement.AvailabilityZone", "us-west-2a"));
        error(400, "InvalidParameterValue", "us-east-1", run("UserData", "***not base64***"));
        error(400, "InvalidParameterValue", "us-east-1",
                run("UserData", Base64.getEncoder().encodeToString(new byte[Ec2Api.MAX_USER_DATA + 1])));
        error(400, "InvalidParameterValue", "us-east-1", run("InstanceMarketOptions.MarketType", "cheap"));
        error(400, "InvalidParameterValue", "us-east-1", run("TagSpecification.1.ResourceType", "bucket",
                "TagSpecification.1.Tag.1.Key", "k", "TagSpecification.1.Tag.1.Value", "v"));
        error(400, "InvalidParameterValue", "us-east-1", run("TagSpecification.1.ResourceType", "instance",
                "TagSpecification.1.Tag.1.Key", "aws:x", "TagSpecification.1.Tag.1.Value", "v"));
        error(412, "DryRunOperation", "us-east-1", run("DryRun", "true"));
        assertTrue(sim.list().isEmpty());
    }

    @Test
    void clientTokenReplaysAndMismatches() {
        Document first = ok("us-east-1", run("ClientToken", "abc", "MaxCount", "2", "MinCount", "1"));
        Document second = ok("us-east-1", run("ClientToken", "abc", "MaxCount", "2", "MinCount", "1"));
        assertEquals(text(first.getDocumentElement(), "reservationId"),
                text(second.getDocumentElement(), "reservationId"));
        assertEquals(2, sim.list().size());
        error(400, "IdempotentParameterMismatch", "us-east-1",
                run("ClientToken", "abc", "MaxCount", "2", "MinCount", "1", "InstanceType", "m5.large"));
        // the same token in another region is another request
        ok("us-west-2", run("ClientToken", "abc", "MaxCount", "2", "MinCount", "1"));
        assertEquals(4, sim.list().size());
    }

    @Test
    void describeByIdTagAndStateWithinTheRegion() {
        String a = text(items(child(ok("us-east-1", run("TagSpecification.1.ResourceType", "instance",
                "TagSpecification.1.Tag.1.Key", "job", "TagSpecification.1.Tag.1.Value", "job-a"))
                .getDocumentElement(), "instancesSet")).get(0), "instanceId");
        String b = text(items(child(ok("us-east-1", run("TagSpecification.1.ResourceType", "instance",
                "TagSpecification.1.Tag.1.Key", "job", "TagSpecification.1.Tag.1.Value", "job-b"))
                .getDocumentElement(), "instancesSet")).get(0), "instanceId");
        ok("us-west-2", run("TagSpecification.1.ResourceType", "instance",
                "TagSpecification.1.Tag.1.Key", "job", "TagSpecification.1.Tag.1.Value", "job-a"));

        assertEquals(2, instancesOf(ok("us-east-1", params("Action", "DescribeInstances"))).size());
        assertEquals(2, ok("us-east-1", params("Action", "DescribeInstances")).getDocumentElement()
                .getElementsByTagName("reservationId").getLength());
        List<Element> byTag = instancesOf(ok("us-east-1", params("Action", "DescribeInstances",
                "Filter.1.Name", "tag:job", "Filter.1.Value.1", "job-a")));
        assertEquals(List.of(a), byTag.stream().map(e -> text(e, "instanceId")).toList());
        assertEquals(2, instancesOf(ok("us-east-1", params("Action", "DescribeInstances",
                "Filter.1.Name", "tag:job", "Filter.1.Value.1", "job-x", "Filter.1.Value.2", "job-*"))).size());
        assertEquals(2, instancesOf(ok("us-east-1", params("Action", "DescribeInstances",
                "Filter.1.Name", "tag-key", "Filter.1.Value.1", "job"))).size());
        assertEquals(0, instancesOf(ok("us-east-1", params("Action", "DescribeInstances",
                "Filter.1.Name", "tag:job", "Filter.1.Value.1", "job-a",
                "Filter.2.Name", "instance-state-name", "Filter.2.Value.1", "running"))).size());
        assertEquals(1, instancesOf(ok("us-east-1", params("Action", "DescribeInstances",
                "Filter.1.Name", "tag:job", "Filter.1.Value.1", "job-a",
                "Filter.2.Name", "instance-state-name", "Filter.2.Value.1", "pending",
                "Filter.3.Name", "availability-zone", "Filter.3.Value.1", "us-east-1a"))).size());
        assertEquals(List.of(b), instancesOf(ok("us-east-1", params("Action", "DescribeInstances",
                "InstanceId.1", b))).stream().map(e -> text(e, "instanceId")).toList());

        error(400, "InvalidInstanceID.NotFound", "us-east-1",
                params("Action", "DescribeInstances", "InstanceId.1", a, "InstanceId.2", "i-0123456789abcdef0"));
        error(400, "InvalidInstanceID.NotFound", "eu-west-1", params("Action", "DescribeInstances", "InstanceId.1", a));
        error(400, "InvalidInstanceID.Malformed", "us-east-1", params("Action", "DescribeInstances", "InstanceId.1", "x"));
        error(400, "InvalidParameterValue", "us-east-1",
                params("Action", "DescribeInstances", "Filter.1.Name", "flavour", "Filter.1.Value.1", "x"));
    }

    @Test
    void describePaginates() {
        ok("us-east-1", run("MinCount", "7", "MaxCount", "7"));
        ok("us-east-1", run("MinCount", "5", "MaxCount", "5"));
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Map<String, String> p = params("Action", "DescribeInstances", "MaxResults", "5");
            if (token != null) p.put("NextToken", token);
            Document doc = ok("us-east-1", p);
            List<Element> page = instancesOf(doc);
            assertTrue(page.size() <= 5);
            page.forEach(e -> seen.add(text(e, "instanceId")));
            token = text(doc.getDocumentElement(), "nextToken");
            pages++;
        } while (token != null);
        assertEquals(3, pages);
        assertEquals(12, seen.size());
        assertEquals(12, seen.stream().distinct().count());
        assertEquals(sim.list().stream().map(VmView::id).toList(), seen);

        error(400, "InvalidParameterValue", "us-east-1", params("Action", "DescribeInstances", "MaxResults", "4"));
        error(400, "InvalidParameterValue", "us-east-1", params("Action", "DescribeInstances", "MaxResults", "1001"));
        error(400, "InvalidParameterCombination", "us-east-1",
                params("Action", "DescribeInstances", "MaxResults", "5", "InstanceId.1", seen.get(0)));
        error(400, "InvalidPaginationToken", "us-east-1", params("Action", "DescribeInstances", "NextToken", "zzz"));
        error(400, "InvalidPaginationToken", "us-west-2",
                params("Action", "DescribeInstances", "NextToken", Ec2Api.encodeToken("us-east-1", 3)));
    }

    @Test
    void terminateReportsPreviousAndCurrentStates() {
        String id = text(items(child(ok("us-east-1", run()).getDocumentElement(), "instancesSet")).get(0),
                "instanceId");
        Document doc = ok("us-east-1", params("Action", "TerminateInstances", "InstanceId.1", id));
        Element item = items(child(doc.getDocumentElement(), "instancesSet")).get(0);
        assertEquals(id, text(item, "instanceId"));
        assertEquals("32", text(item, "currentState/code"));
        assertEquals("shutting-down", text(item, "currentState/name"));
        assertEquals("0", text(item, "previousState/code"));
        assertEquals("pending", text(item, "previousState/name"));

        clock.advance(Duration.ofSeconds(2));
        sim.tick();
        Element described = instancesOf(ok("us-east-1", params("Action", "DescribeInstances", "InstanceId.1", id)))
                .get(0);
        assertEquals("terminated", text(described, "instanceState/name"));
        assertEquals("48", text(described, "instanceState/code"));
        assertEquals("Client.UserInitiatedShutdown", text(described, "stateReason/code"));
        assertTrue(text(described, "reason").startsWith("User initiated ("));
        assertEquals(null, text(described, "privateIpAddress"));

        error(400, "InvalidInstanceID.NotFound", "us-east-1",
                params("Action", "TerminateInstances", "InstanceId.1", "i-0123456789abcdef0"));
        error(400, "InvalidParameterCombination", "us-east-1", params("Action", "TerminateInstances"));
    }

    @Test
    void consoleOutputIsWhatWasPostedAtTheLastTransitionOrWithLatestTheLast64KbUntilNow() {
        // 5 x 14,012 bytes, more than the 64 KB EC2 keeps
        String script = "#!/bin/bash\n# echo 5 times\n" + "x".repeat(13_984) + "\necho héllo\n";
        String id = text(items(child(ok("us-east-1", run("UserData",
                Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8))))
                .getDocumentElement(), "instancesSet")).get(0), "instanceId");
        Document before = ok("us-east-1", params("Action", "GetConsoleOutput", "InstanceId", id));
        assertEquals(id, text(before.getDocumentElement(), "instanceId"));
        assertEquals(null, text(before.getDocumentElement(), "output"));
        assertEquals(null, text(before.getDocumentElement(), "timestamp"), "nothing posted before the first transition");

        clock.advance(Duration.ofSeconds(1));
        sim.tick();

        Document buffered = ok("us-east-1", params("Action", "GetConsoleOutput", "InstanceId", id));
        assertEquals(null, text(buffered.getDocumentElement(), "output"),
                "without Latest: what was posted when it started running, before it printed");
        assertTrue(text(buffered.getDocumentElement(), "timestamp").endsWith("Z"));

        Document latest = ok("us-east-1", params("Action", "GetConsoleOutput", "InstanceId", id, "Latest", "true"));
        byte[] output = Base64.getDecoder().decode(text(latest.getDocumentElement(), "output"));
        assertEquals(Ec2Api.CONSOLE_BYTES, output.length, "only the most recent 64 KB");
        assertTrue(new String(output, StandardCharsets.UTF_8).endsWith("x\necho héllo\n"));

        error(400, "InvalidInstanceID.NotFound", "us-east-1",
                params("Action", "GetConsoleOutput", "InstanceId", "i-0123456789abcdef0"));
        error(400, "MissingParameter", "us-east-1", params("Action", "GetConsoleOutput"));
    }

    @Test
    void unknownAndMissingActions() {
        error(400, "InvalidAction", "us-east-1", params("Action", "CreateBucket"));
        error(400, "MissingAction", "us-east-1", params("Version", "2016-11-15"));
    }

    @Test
    void injectedFaultsUseTheErrorEnvelope() {
        sim.faults().add(new io.crossjobs.mockcloud.sim.FaultSpec("aws", "us-east-1", null, "c5.large", null, 1,
                "InsufficientInstanceCapacity", null, null));
        sim.faults().add(new io.crossjobs.mockcloud.sim.FaultSpec("aws", null, null, null, "DescribeInstances", 1,
                "RequestLimitExceeded", null, null));
        ok("us-east-1", run());
        error(500, "InsufficientInstanceCapacity", "us-east-1", run("InstanceType", "c5.large"));
        ok("us-east-1", run("InstanceType", "c5.large"));
        error(503, "RequestLimitExceeded", "us-east-1", params("Action", "DescribeInstances"));
        ok("us-east-1", params("Action", "DescribeInstances"));
    }

    @Test
    void eachCheckRefusesByDefaultAndIsRelaxedByItsOwnSetting() {
        String eastImage = ubuntu("us-east-1");
        String bigUserData = Base64.getEncoder().encodeToString(new byte[Ec2Api.MAX_USER_DATA + 1]);
        Map<String, Map<String, String>> refused = new LinkedHashMap<>();
        refused.put("InvalidAMIID.NotFound", run("ImageId", eastImage));
        refused.put("InvalidParameterValue/architecture", run("InstanceType", "m7g.large"));
        refused.put("InvalidBlockDeviceMapping", run("BlockDeviceMapping.1.DeviceName", "/dev/sda1",
                "BlockDeviceMapping.1.Ebs.VolumeSize", "7"));
        refused.put("InvalidParameterValue/userData", run("UserData", bigUserData));
        List<Ec2Checks> relaxedOneByOne = List.of(new Ec2Checks(false, true, true, true),
                new Ec2Checks(true, false, true, true), new Ec2Checks(true, true, false, true),
                new Ec2Checks(true, true, true, false));

        int i = 0;
        for (Map.Entry<String, Map<String, String>> e : refused.entrySet()) {
            error(400, e.getKey().split("/")[0], "eu-west-1", new LinkedHashMap<>(e.getValue()));
            Ec2Api relaxed = new Ec2Api(sim, new Ec2InstanceTypes(List.of()), Ec2Images.builtIn(),
                    relaxedOneByOne.get(i++), "123456789012");
            Map<String, String> params = new LinkedHashMap<>(e.getValue());
            params.put("Version", "2016-11-15");
            params.replaceAll((k, v) -> v.equals(REGION_IMAGE) ? ubuntu("eu-west-1") : v);
            Ec2Response r = relaxed.handle("eu-west-1", QueryParams.parse(form(params)));
            assertEquals(200, r.status(), e.getKey() + " relaxed: " + r.body());
        }
        assertEquals(4, sim.list().size(), "each refused launch made nothing; each relaxed one an instance");
    }

    @Test
    void relaxedRegionalImagesBootAnyIdAsAnUbuntuLikeImage() {
        Ec2Api relaxed = new Ec2Api(sim, new Ec2InstanceTypes(List.of()), Ec2Images.builtIn(),
                new Ec2Checks(false, true, true, true), "123456789012");
        Map<String, String> params = run("ImageId", "ami-12345678");
        params.put("Version", "2016-11-15");
        Ec2Response r = relaxed.handle("eu-west-1", QueryParams.parse(form(params)));
        assertEquals(200, r.status(), r.body());
        Element i = items(child(parse(r.body()).getDocumentElement(), "instancesSet")).get(0);
        assertEquals("ami-12345678", text(i, "imageId"));
        assertEquals("/dev/sda1", text(i, "rootDeviceName"));
        assertEquals(1, items(child(i, "blockDeviceMapping")).size());
    }
}
