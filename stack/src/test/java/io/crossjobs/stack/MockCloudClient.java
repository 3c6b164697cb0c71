package io.crossjobs.stack;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** mock-cloud's inventory: which VMs are alive, so a test can prove nothing leaked. */
final class MockCloudClient {
    private final String base;

    MockCloudClient(StackConfig config) {
        this.base = "http://127.0.0.1:" + config.mockCloudPort();
    }

    /** Instances of the job that are pending or running. */
    List<Map<String, Object>> aliveInstancesOf(String jobId) {
        List<Map<String, Object>> alive = given().baseUri(base).queryParam("alive", true)
                .when().get("/mock/inventory").then().statusCode(200).extract().jsonPath().getList("$");
        return alive.stream().filter(i -> jobId.equals(tags(i).get(io.crossjobs.events.CloudTags.JOB_ID))).toList();
    }

    /** The controller's VMs that are pending or running ({@code crossjobs-role=controller}). */
    List<Map<String, Object>> aliveControllerVms() {
        return given().baseUri(base).queryParam("alive", true).queryParam("role", "controller")
                .when().get("/mock/inventory").then().statusCode(200).extract().jsonPath().getList("$");
    }

    /** The instance of a cluster, found by its cluster tag. */
    Map<String, Object> instanceOfCluster(String cluster) {
        List<Map<String, Object>> all = given().baseUri(base)
                .when().get("/mock/inventory").then().statusCode(200).extract().jsonPath().getList("$");
        return all.stream().filter(i -> cluster.equals(tags(i).get(io.crossjobs.events.CloudTags.CLUSTER)))
                .findFirst().orElseThrow(() -> new AssertionError("no instance of cluster " + cluster));
    }

    /** Every instance the job ever had, whatever its state. */
    List<Map<String, Object>> instancesOf(String jobId) {
        List<Map<String, Object>> all = given().baseUri(base)
                .when().get("/mock/inventory").then().statusCode(200).extract().jsonPath().getList("$");
        return all.stream().filter(i -> jobId.equals(tags(i).get(io.crossjobs.events.CloudTags.JOB_ID))).toList();
    }

    /** The next {@code count} launches in the zone fail with the cloud error code. */
    void failLaunches(String cloud, String zone, String errorCode, int count) {
        given().baseUri(base).contentType("application/json")
                .body(Map.of("cloud", cloud, "zone", zone, "errorCode", errorCode, "count", count))
                .when().post("/mock/faults").then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    void preempt(String instanceId) {
        given().baseUri(base).when().post("/mock/instances/" + instanceId + "/preempt")
                .then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    /**
     * An EC2 instance made directly in the cloud (region us-east-1), behind the provisioners' back, with
     * crossjobs' tags: what a crashed or confused provisioner could leave behind. Returns its id.
     */
    String runTaggedInstance(String jobId, int attempt, String cluster) {
        Map<String, String> form = new java.util.LinkedHashMap<>(Map.of("Action", "RunInstances",
                "Version", "2016-11-15", "ImageId", ubuntuImageOfUsEast1(), "InstanceType", "t3.micro",
                "MinCount", "1", "MaxCount", "1", "TagSpecification.1.ResourceType", "instance"));
        Map<String, String> tags = Map.of(io.crossjobs.events.CloudTags.MANAGED_BY, "crossjobs",
                io.crossjobs.events.CloudTags.JOB_ID, jobId, io.crossjobs.events.CloudTags.ATTEMPT,
                Integer.toString(attempt), io.crossjobs.events.CloudTags.CLUSTER, cluster,
                io.crossjobs.events.CloudTags.NODE_RANK, "0");
        int n = 1;
        for (Map.Entry<String, String> t : tags.entrySet()) {
            form.put("TagSpecification.1.Tag." + n + ".Key", t.getKey());
            form.put("TagSpecification.1.Tag." + n + ".Value", t.getValue());
            n++;
        }
        String xml = given().baseUri(base).formParams(form).when().post("/").then().statusCode(200)
                .extract().asString();
        int at = xml.indexOf("<instanceId>") + "<instanceId>".length();
        return xml.substring(at, xml.indexOf('<', at));
    }

    /** us-east-1's Ubuntu 22.04 AMI, from SSM's public parameter as AWS publishes it (AMI ids are regional). */
    private String ubuntuImageOfUsEast1() {
        return given().baseUri(base).header("X-Amz-Target", "AmazonSSM.GetParameter")
                .contentType("application/x-amz-json-1.1")
                .body("{\"Name\":\"/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id\"}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/").then().statusCode(200).extract().jsonPath().getString("Parameter.Value");
    }

    void clearFaults() {
        given().baseUri(base).when().delete("/mock/faults").then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> tags(Map<String, Object> instance) {
        Object tags = instance.get("tags");
        return tags instanceof Map ? (Map<String, String>) tags : Map.of();
    }

    /**
     * Breaks the mock account on {@code cloud} as mock-cloud's "Account faults" describe ({@code credentialsRevoked},
     * {@code deniedPermissions}, {@code missing}); an empty map heals it.
     */
    public void breakAccount(String cloud, Map<String, Object> faults) {
        given().baseUri(base).contentType("application/json").body(faults).put("/mock/account/" + cloud)
                .then().statusCode(200);
    }

    /** The user data instance {@code id} was launched with: what anyone allowed to describe it reads. */
    public String userData(String id) {
        return given().baseUri(base).get("/mock/instances/" + id + "/user-data").then().statusCode(200).extract()
                .asString();
    }
}
