package io.crossjobs.mockcloud.sts;

import java.util.UUID;

import io.crossjobs.mockcloud.account.AccountState;
import io.crossjobs.mockcloud.ec2.XmlWriter;

/**
 * AWS Security Token Service's GetCallerIdentity (Query API, version 2011-06-15): who the caller's key belongs to.
 * It needs no permission, so a denied-permission account still answers it
 * (docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html: "No permissions are required to perform
 * this operation"); a revoked key is 403 {@code InvalidClientTokenId} "The security token included in the request is
 * invalid." (API reference, Common Errors: InvalidClientTokenId, 403).
 */
public final class StsApi {
    public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    /** The mock account's one principal: an IAM user whose key is any key the mock takes. */
    public static final String USER = "crossjobs-provisioner";

    /** One answer: HTTP status, XML body, request id. */
    public record Answer(int status, String body, String requestId) { }

    private final String accountId;

    public StsApi(String accountId) {
        this.accountId = accountId;
    }

    public static String principalArn(String accountId) {
        return "arn:aws:iam::" + accountId + ":user/" + USER;
    }

    public Answer handle(String action, AccountState account) {
        String requestId = UUID.randomUUID().toString();
        if (account.credentialsRevoked()) {
            return error(403, "Sender", "InvalidClientTokenId", "The security token included in the request is invalid.",
                    requestId);
        }
        if (!"GetCallerIdentity".equals(action)) {
            return error(400, "Sender", "InvalidAction", "Could not find operation " + action + " for version "
                    + "2011-06-15", requestId);
        }
        String body = new XmlWriter().open("GetCallerIdentityResponse", NAMESPACE)
                .open("GetCallerIdentityResult")
                .leaf("Arn", principalArn(accountId))
                .leaf("UserId", "AIDA" + Long.toHexString(accountId.hashCode() & 0xffffffffL).toUpperCase())
                .leaf("Account", accountId)
                .close("GetCallerIdentityResult")
                .open("ResponseMetadata").leaf("RequestId", requestId).close("ResponseMetadata")
                .close("GetCallerIdentityResponse").toString();
        return new Answer(200, body, requestId);
    }

    private static Answer error(int status, String type, String code, String message, String requestId) {
        String body = new XmlWriter().open("ErrorResponse", NAMESPACE).open("Error").leaf("Type", type)
                .leaf("Code", code).leaf("Message", message).close("Error").leaf("RequestId", requestId)
                .close("ErrorResponse").toString();
        return new Answer(status, body, requestId);
    }
}
