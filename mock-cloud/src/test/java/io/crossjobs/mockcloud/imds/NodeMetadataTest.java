package io.crossjobs.mockcloud.imds;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.ec2.Ec2Images;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.LaunchRequest;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Writing node metadata over each cloud's wire API (EC2 CreateTags, GCE instances.setMetadata) and reading it
 * back from the per-instance metadata endpoints shaped like each cloud's metadata service.
 */
@QuarkusTest
class NodeMetadataTest {
    private static final String KEY = "crossjobs-node-ips";

    @Inject
    VmSimulator sim;

    @Test
    void ec2CreateTagsIsReadableFromImdsWhenTheInstanceAllowsTagsInMetadata() {
        String withTags = runInstance("enabled");
        String withoutTags = runInstance(null);

        given().formParams(Map.of("Action", "CreateTags", "Version", "2016-11-15", "ResourceId.1", withTags,
                        "ResourceId.2", withoutTags, "Tag.1.Key", KEY, "Tag.1.Value", "10.0.0.4 10.0.0.5"))
                .post("/").then().statusCode(200).body(containsString("<return>true</return>"));

        String token = given().header("X-aws-ec2-metadata-token-ttl-seconds", "300")
                .put(MetadataResource.PATH + "/" + withTags + "/latest/api/token").then().statusCode(200)
                .extract().asString();
        given().header("X-aws-ec2-metadata-token", token)
                .get(MetadataResource.PATH + "/" + withTags + "/latest/meta-data/tags/instance/" + KEY)
                .then().statusCode(200).body(equalTo("10.0.0.4 10.0.0.5"));
        given().get(MetadataResource.PATH + "/" + withTags + "/latest/meta-data/tags/instance")
                .then().statusCode(200).body(containsString(KEY));
        given().header("X-aws-ec2-metadata-token", "forged")
                .get(MetadataResource.PATH + "/" + withTags + "/latest/meta-data/tags/instance/" + KEY)
                .then().statusCode(401);
        given().put(MetadataResource.PATH + "/" + withTags + "/latest/api/token").then().statusCode(400);
        // tags reach the metadata only when RunInstances enabled it, as on EC2
        given().get(MetadataResource.PATH + "/" + withoutTags + "/latest/meta-data/tags/instance/" + KEY)
                .then().statusCode(404);
        given().get("/?Action=DescribeInstances&Version=2016-11-15&InstanceId.1=" + withoutTags).then()
                .statusCode(200).body(containsString("<value>10.0.0.4 10.0.0.5</value>"))
                .body(containsString("<instanceMetadataTags>disabled</instanceMetadataTags>"));
    }

    @Test
    void ec2CreateTagsOnAnUnknownInstanceChangesNothing() {
        String known = runInstance("enabled");
        given().formParams(Map.of("Action", "CreateTags", "Version", "2016-11-15", "ResourceId.1", known,
                        "ResourceId.2", "i-0123456789abcdef0", "Tag.1.Key", KEY, "Tag.1.Value", "x"))
                .post("/").then().statusCode(400).body(containsString("InvalidInstanceID.NotFound"));
        given().get(MetadataResource.PATH + "/" + known + "/latest/meta-data/tags/instance/" + KEY)
                .then().statusCode(404);
    }

    @Test
    void gceSetMetadataNeedsTheCurrentFingerprintAndShowsOnTheMetadataServer() {
        String zone = "us-central1-a";
        String name = "vm-" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/compute/v1/projects/p-imds/zones/" + zone + "/instances";
        given().contentType(ContentType.JSON).body(Map.of("name", name, "machineType", "e2-small",
                        "metadata", Map.of("items", List.of(Map.of("key", "startup-script", "value", "#!/bin/bash\n")))))
                .post(base).then().statusCode(200);
        JsonPath vm = given().get(base + "/" + name).then().statusCode(200).extract().jsonPath();
        String id = vm.getString("id");
        String fingerprint = vm.getString("metadata.fingerprint");
        List<Map<String, String>> items = List.of(Map.of("key", "startup-script", "value", "#!/bin/bash\n"),
                Map.of("key", KEY, "value", "10.0.0.4 10.0.0.5"));

        given().contentType(ContentType.JSON).body(Map.of("fingerprint", "c3RhbGU=", "items", items))
                .post(base + "/" + name + "/setMetadata").then().statusCode(412)
                .body("error.errors[0].reason", equalTo("conditionNotMet"));
        given().header("Metadata-Flavor", "Google")
                .get(MetadataResource.PATH + "/" + id + "/computeMetadata/v1/instance/attributes/" + KEY)
                .then().statusCode(404);

        given().contentType(ContentType.JSON).body(Map.of("fingerprint", fingerprint, "items", items))
                .post(base + "/" + name + "/setMetadata").then().statusCode(200)
                .body("operationType", equalTo("setMetadata")).body("status", equalTo("DONE"));
        given().header("Metadata-Flavor", "Google")
                .get(MetadataResource.PATH + "/" + id + "/computeMetadata/v1/instance/attributes/" + KEY)
                .then().statusCode(200).body(equalTo("10.0.0.4 10.0.0.5"));
        given().get(MetadataResource.PATH + "/" + id + "/computeMetadata/v1/instance/attributes/" + KEY)
                .then().statusCode(403);
        JsonPath after = given().get(base + "/" + name).then().statusCode(200).extract().jsonPath();
        assertNotEquals(fingerprint, after.getString("metadata.fingerprint"));
        assertEquals(2, after.getList("metadata.items").size());
        // the old fingerprint is stale now
        given().contentType(ContentType.JSON).body(Map.of("fingerprint", fingerprint, "items", items))
                .post(base + "/" + name + "/setMetadata").then().statusCode(412);
    }

    @Test
    void azureTagsListShowsTheVmsTagsToCallersWithTheMetadataHeader() {
        String id = sim.launch(new LaunchRequest(Cloud.AZURE, "eastus", "1", "Standard_B1s", "img",
                Map.of(KEY, "10.0.0.4 10.0.0.5", "managed-by", "crossjobs"), false, new byte[0], 1, "test", null,
                null, null, Map.of())).vms().get(0).id();
        String path = MetadataResource.PATH + "/" + id + "/metadata/instance/compute/tagsList";
        given().header("Metadata", "true").queryParam("api-version", "2021-02-01").get(path).then()
                .statusCode(200).body("find { it.name == '" + KEY + "' }.value", equalTo("10.0.0.4 10.0.0.5"));
        given().queryParam("api-version", "2021-02-01").get(path).then().statusCode(400);
        given().header("Metadata", "true").get(path).then().statusCode(400);
        // another cloud's path on this VM does not exist
        given().header("Metadata-Flavor", "Google")
                .get(MetadataResource.PATH + "/" + id + "/computeMetadata/v1/instance/attributes/" + KEY)
                .then().statusCode(404);
    }

    private static String runInstance(String metadataTags) {
        var form = new java.util.LinkedHashMap<String, String>(Map.of("Action", "RunInstances", "Version", "2016-11-15",
                "ImageId", Ec2Images.builtIn().byParameter("us-east-1", Ec2Images.UBUNTU_2204_AMD64).orElseThrow().id(),
                "InstanceType", "t3.micro", "MinCount", "1", "MaxCount", "1"));
        if (metadataTags != null) form.put("MetadataOptions.InstanceMetadataTags", metadataTags);
        String xml = given().formParams(form).post("/").then().statusCode(200).extract().asString();
        int at = xml.indexOf("<instanceId>") + "<instanceId>".length();
        return xml.substring(at, xml.indexOf('<', at));
    }
}
