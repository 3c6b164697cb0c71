package io.crossjobs.mockcloud.ec2;

import java.util.Optional;

import io.crossjobs.mockcloud.account.AccountState;

/**
 * How AWS's JSON-protocol services (Systems Manager, Service Quotas) refuse a broken account, without I/O: a
 * revoked key is 400 {@code UnrecognizedClientException} "The security token included in the request is invalid."
 * (the code and wording aws-cli prints for a deleted key), a denied action 400 {@code AccessDeniedException}
 * "User: &lt;arn&gt; is not authorized to perform: &lt;action&gt;" (API references: AccessDeniedException, 400).
 */
public final class AwsJsonAccount {

    /** An error of the JSON protocol: {@code {"__type","message"}} with its HTTP status. */
    public record Refusal(int status, String type, String message) { }

    private AwsJsonAccount() { }

    /** @param permission the IAM action the call needs, e.g. {@code ssm:GetParameter} */
    public static Optional<Refusal> refusal(AccountState account, String permission, String principalArn) {
        if (account.credentialsRevoked()) {
            return Optional.of(new Refusal(400, "UnrecognizedClientException",
                    "The security token included in the request is invalid."));
        }
        if (account.deniedPermissions().contains(permission)) {
            return Optional.of(new Refusal(400, "AccessDeniedException", "User: " + principalArn
                    + " is not authorized to perform: " + permission));
        }
        return Optional.empty();
    }
}
