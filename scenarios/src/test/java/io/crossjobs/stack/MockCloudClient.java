package io.crossjobs.stack;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;

/**
 * mock-cloud's inventory: which VMs are alive, so a test can prove nothing leaked. Tests poll it, and it lists every
 * instance of the stack's life (terminated ones for 10 minutes), so it is read with {@link HttpClient} and Jackson
 * (see {@link JobApiClient} for what rest-assured costs), and once for many jobs ({@link #instancesByJob()}).
 */
final class MockCloudClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10))
            .build();
    private final String base;

    MockCloudClient(StackConfig config) {
        this.base = "http://127.0.0.1:" + config.mockCloudPort();
    }

    /** Instances of the job that are pending or running. */
    List<Map<String, Object>> aliveInstancesOf(String jobId) {
        return inventory(true).stream().filter(i -> jobId.equals(tags(i).get(io.crossjobs.events.CloudTags.JOB_ID))).toList();
    }

    /** The controller's VMs that are pending or running ({@code crossjobs-role=controller}). */
    List<Map<String, Object>> aliveControllerVms() {
        return list("/mock/inventory?alive=true&role=controller");
    }

    /** The instance of a cluster, found by its cluster tag. */
    Map<String, Object> instanceOfCluster(String cluster) {
        return inventory(false).stream().filter(i -> cluster.equals(tags(i).get(io.crossjobs.events.CloudTags.CLUSTER)))
                .findFirst().orElseThrow(() -> new AssertionError("no instance of cluster " + cluster));
    }

    /** Every instance the job ever had, whatever its state. */
    List<Map<String, Object>> instancesOf(String jobId) {
        return instancesByJob().getOrDefault(jobId, List.of());
    }

    /** Every instance of every job, whatever its state, by the job id it is tagged with. */
    Map<String, List<Map<String, Object>>> instancesByJob() {
        return inventory(false).stream().filter(i -> tags(i).containsKey(io.crossjobs.events.CloudTags.JOB_ID))
                .collect(Collectors.groupingBy(i -> tags(i).get(io.crossjobs.events.CloudTags.JOB_ID)));
    }

    private List<Map<String, Object>> inventory(boolean aliveOnly) {
        return list(aliveOnly ? "/mock/inventory?alive=true" : "/mock/inventory");
    }

    private List<Map<String, Object>> list(String path) {
        try {
            HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(java.time.Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) throw new AssertionError("GET " + path + " answered " + answer.statusCode());
            return JSON.readValue(answer.body(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
        return runInstance(crossjobsTags(jobId, attempt, cluster));
    }

    /** As {@link #runTaggedInstance}, made by another deployment of crossjobs in the same account (its tag). */
    String runTaggedInstanceOf(io.crossjobs.events.DeploymentId deployment, String jobId, int attempt, String cluster) {
        Map<String, String> tags = new java.util.HashMap<>(crossjobsTags(jobId, attempt, cluster));
        tags.put(io.crossjobs.events.CloudTags.DEPLOYMENT, deployment.value());
        return runInstance(tags);
    }

    /** EC2 TerminateInstances of one instance of us-east-1. */
    void terminate(String instanceId) {
        given().baseUri(base).formParams(Map.of("Action", "TerminateInstances", "Version", "2016-11-15",
                "InstanceId.1", instanceId)).when().post("/").then().statusCode(200);
    }

    private static Map<String, String> crossjobsTags(String jobId, int attempt, String cluster) {
        return Map.of(io.crossjobs.events.CloudTags.MANAGED_BY, "crossjobs",
                io.crossjobs.events.CloudTags.JOB_ID, jobId, io.crossjobs.events.CloudTags.ATTEMPT,
                Integer.toString(attempt), io.crossjobs.events.CloudTags.CLUSTER, cluster,
                io.crossjobs.events.CloudTags.NODE_RANK, "0");
    }

    private String runInstance(Map<String, String> tags) {
        Map<String, String> form = new java.util.LinkedHashMap<>(Map.of("Action", "RunInstances",
                "Version", "2016-11-15", "ImageId", ubuntuImageOfUsEast1(), "InstanceType", "t3.micro",
                "MinCount", "1", "MaxCount", "1", "TagSpecification.1.ResourceType", "instance"));
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
