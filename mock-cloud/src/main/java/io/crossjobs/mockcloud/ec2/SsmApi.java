package io.crossjobs.mockcloud.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.FaultContext;
import io.crossjobs.mockcloud.sim.SimulatedFault;
import io.crossjobs.mockcloud.sim.VmSimulator;

/**
 * AWS Systems Manager's Parameter Store, the public parameters only: those that name the current AMI of an image
 * family in a region ({@link Ec2Images}). SSM speaks JSON 1.1: {@code POST /} with {@code X-Amz-Target:
 * AmazonSSM.<Operation>} and a JSON body; errors are {@code {"__type": code, "message": ...}} with HTTP 400.
 * Operations: GetParameter ({@code Name}) and GetParameters ({@code Names}, 1 to 10). Transport-free, like
 * {@link Ec2Api}; faults match actions {@code GetParameter} and {@code GetParameters} of cloud {@code aws}.
 */
public final class SsmApi {
    public static final String TARGET_PREFIX = "AmazonSSM.";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Logger LOG = Logger.getLogger(SsmApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_NAMES = 10;

    /** An SSM error: {@code __type} and message, HTTP 400 unless said otherwise. */
    private static final class SsmError extends RuntimeException {
        final int status;
        final String type;

        SsmError(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }
    }

    /** One answer: status, JSON body, request id. */
    public record Response(int status, String body, String requestId) { }

    private final VmSimulator sim;
    private final Ec2Images images;

    public SsmApi(VmSimulator sim, Ec2Images images) {
        this.sim = sim;
        this.images = images;
    }

    /** Runs one call ({@code target} is the X-Amz-Target header) in {@code region}; never throws. */
    public Response handle(String region, String target, String body) {
        String requestId = UUID.randomUUID().toString();
        String operation = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
        try {
            if (!target.startsWith(TARGET_PREFIX)) {
                throw new SsmError(400, "UnknownOperationException", null);
            }
            SimulatedFault fault = sim.fault(new FaultContext(Cloud.AWS, region, null, null, operation, false));
            if (fault != null) throw new SsmError(fault.httpStatus(), fault.errorCode(), fault.getMessage());
            JsonNode request = parse(body);
            String answer = switch (operation) {
                case "GetParameter" -> getParameter(region, request);
                case "GetParameters" -> getParameters(region, request);
                default -> throw new SsmError(400, "UnknownOperationException", null);
            };
            return new Response(200, answer, requestId);
        } catch (SsmError e) {
            LOG.debugf("SSM %s -> %d %s: %s", operation, e.status, e.type, e.getMessage());
            ObjectNode error = JSON.createObjectNode().put("__type", e.type);
            if (e.getMessage() != null) error.put("message", e.getMessage());
            return new Response(e.status, error.toString(), requestId);
        } catch (RuntimeException e) {
            LOG.errorf(e, "SSM %s failed", operation);
            return new Response(500, JSON.createObjectNode().put("__type", "InternalServerError").toString(),
                    requestId);
        }
    }

    /**
     * An unknown name is {@code ParameterNotFound} (400). Seen from SSM: it answers that code without a message,
     * and so does this.
     */
    private String getParameter(String region, JsonNode request) {
        String name = text(request, "Name");
        if (name == null) throw validation("name", "null", "Member must not be null");
        ObjectNode parameter = find(region, name)
                .orElseThrow(() -> new SsmError(400, "ParameterNotFound", null));
        ObjectNode answer = JSON.createObjectNode();
        answer.set("Parameter", parameter);
        return answer.toString();
    }

    /** Known names in {@code Parameters}, unknown ones in {@code InvalidParameters}. */
    private String getParameters(String region, JsonNode request) {
        JsonNode names = request.get("Names");
        if (names == null || !names.isArray() || names.isEmpty()) {
            throw validation("names", "null", "Member must have length greater than or equal to 1");
        }
        if (names.size() > MAX_NAMES) {
            throw validation("names", names.toString(), "Member must have length less than or equal to " + MAX_NAMES);
        }
        ArrayNode found = JSON.createArrayNode();
        List<String> invalid = new ArrayList<>();
        for (JsonNode n : names) {
            String name = n.asText();
            find(region, name).ifPresentOrElse(found::add, () -> invalid.add(name));
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode invalidNames = answer.putArray("InvalidParameters");
        invalid.forEach(invalidNames::add);
        answer.set("Parameters", found);
        return answer.toString();
    }

    private Optional<ObjectNode> find(String region, String name) {
        return images.byParameter(region, name).map(image -> JSON.createObjectNode()
                .put("ARN", "arn:aws:ssm:" + region + "::parameter" + name)
                .put("DataType", "text")
                .put("LastModifiedDate", image.creationDate().getEpochSecond())
                .put("Name", name)
                .put("Type", "String")
                .put("Value", image.id())
                .put("Version", 1));
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) return JSON.createObjectNode();
        try {
            JsonNode node = JSON.readTree(body);
            if (!node.isObject()) throw new SsmError(400, "SerializationException", null);
            return node;
        } catch (JsonProcessingException e) {
            throw new SsmError(400, "SerializationException", null);
        }
    }

    private static String text(JsonNode request, String field) {
        JsonNode v = request.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** AWS's usual wording for a request that breaks the API model's constraints. */
    private static SsmError validation(String member, String value, String constraint) {
        return new SsmError(400, "ValidationException", "1 validation error detected: Value '" + value + "' at '"
                + member + "' failed to satisfy constraint: " + constraint);
    }
}
