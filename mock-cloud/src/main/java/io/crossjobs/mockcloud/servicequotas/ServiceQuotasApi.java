package io.crossjobs.mockcloud.servicequotas;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.account.AccountState;
import io.crossjobs.mockcloud.ec2.AwsJsonAccount;
import io.crossjobs.mockcloud.quotas.QuotaGate;
import io.crossjobs.mockcloud.quotas.QuotaUsage;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.VmSimulator;

/**
 * Service Quotas' GetServiceQuota and GetAWSDefaultServiceQuota (AWS JSON 1.1, {@code X-Amz-Target:
 * ServiceQuotasV20190624.<operation>}) for the EC2 quotas the mock counts (mockcloud {@code quotas}). GetServiceQuota
 * answers the applied value in the request's region, as the admin API's {@code /mock/quotas} shows it, and
 * {@code NoSuchResourceException} for a quota still at AWS's default, which has no applied value ("If the applied
 * quota value is not available for a quota, the quota is not retrieved": API_GetServiceQuota.html); the default is
 * then read with GetAWSDefaultServiceQuota (API_GetAWSDefaultServiceQuota.html), whose figures are a new account's
 * (docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html: 5 Standard vCPUs on demand and spot, 0
 * for the GPU and accelerator groups). Usage is not part of the answer, as on AWS (it lives in CloudWatch).
 */
public final class ServiceQuotasApi {
    public static final String TARGET_PREFIX = "ServiceQuotasV20190624.";
    /** A new account's vCPU quotas where they are not 0: Standard on demand and Standard spot. */
    private static final Map<String, Double> NEW_ACCOUNT = Map.of("L-1216C47A", 5.0, "L-34B43A08", 5.0);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: HTTP status, JSON body, request id. */
    public record Answer(int status, String body, String requestId) { }

    private final VmSimulator sim;
    private final QuotaGate quotas;
    private final String accountId;
    private final String principalArn;

    public ServiceQuotasApi(VmSimulator sim, QuotaGate quotas, String accountId, String principalArn) {
        this.sim = sim;
        this.quotas = quotas;
        this.accountId = accountId;
        this.principalArn = principalArn;
    }

    public Answer handle(String region, String target, String body, AccountState account) {
        String requestId = UUID.randomUUID().toString();
        String operation = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
        Optional<AwsJsonAccount.Refusal> refused = AwsJsonAccount.refusal(account, "servicequotas:" + operation,
                principalArn);
        if (refused.isPresent()) {
            return error(refused.get().status(), refused.get().type(), refused.get().message(), requestId);
        }
        boolean applied = operation.equals("GetServiceQuota");
        if (!applied && !operation.equals("GetAWSDefaultServiceQuota")) {
            return error(400, "UnknownOperationException", null, requestId);
        }
        JsonNode request;
        try {
            request = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException e) {
            return error(400, "SerializationException", null, requestId);
        }
        String service = text(request, "ServiceCode");
        String code = text(request, "QuotaCode");
        if (service == null || code == null) {
            return error(400, "ValidationException", "1 validation error detected: Value null at '"
                    + (service == null ? "serviceCode" : "quotaCode") + "' failed to satisfy constraint: Member must"
                    + " not be null", requestId);
        }
        Optional<QuotaUsage> quota = !service.equals("ec2") ? Optional.empty()
                : quotas.usage(Cloud.AWS, region, sim.list(v -> v.state().alive())).stream()
                        .filter(q -> q.metric().equals(code)).findFirst();
        if (quota.isEmpty()) {
            // wording n/f: the API reference names the error, not its message
            return error(400, "NoSuchResourceException", "The request failed because the specified service quota "
                    + service + "/" + code + " does not exist.", requestId);
        }
        QuotaUsage q = quota.get();
        double awsDefault = NEW_ACCOUNT.getOrDefault(code, 0.0);
        if (applied && q.limit() == awsDefault) {
            return error(400, "NoSuchResourceException", "The request failed because the specified service quota "
                    + service + "/" + code + " has no applied value.", requestId);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("Quota")
                .put("ServiceCode", "ec2")
                .put("ServiceName", "Amazon Elastic Compute Cloud (Amazon EC2)")
                .put("QuotaArn", "arn:aws:servicequotas:" + region + ":" + accountId + ":ec2/" + code)
                .put("QuotaCode", code)
                .put("QuotaName", q.name())
                .put("Value", applied ? q.limit() : awsDefault)
                .put("Unit", "None")
                .put("Adjustable", true)
                .put("GlobalQuota", false);
        return new Answer(200, answer.toString(), requestId);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Answer error(int status, String type, String message, String requestId) {
        ObjectNode e = JSON.createObjectNode().put("__type", type);
        if (message != null) e.put("message", message);
        return new Answer(status, e.toString(), requestId);
    }
}
