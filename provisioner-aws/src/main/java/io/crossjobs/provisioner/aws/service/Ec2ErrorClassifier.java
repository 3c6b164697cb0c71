package io.crossjobs.provisioner.aws.service;

import io.crossjobs.events.BlockScope;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.provisioner.model.CloudError;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ssm.model.SsmException;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * EC2 and SSM error codes in the shared taxonomy, with the scope the controller should block (see
 * reference/skypilot-facts.md). EC2 codes not in the table fall back on the HTTP status; SSM (read only for the
 * region's image) fails a launch as AUTH when access is denied, UNSUPPORTED in the region when the parameter is
 * not there, THROTTLED when throttled, and TRANSIENT otherwise.
 */
public final class Ec2ErrorClassifier {
    private record Entry(ErrorClass errorClass, BlockScope scope) { }

    private static final Map<String, Entry> CODES = Map.ofEntries(
            capacity("InsufficientInstanceCapacity"),
            capacity("InsufficientHostCapacity"),
            capacity("InsufficientReservedInstanceCapacity"),
            capacity("InsufficientCapacity"),
            capacity("UnfulfillableCapacity"),
            capacity("SpotMaxPriceTooLow"),
            // "Your requested instance type is not supported in your requested Availability Zone"
            Map.entry("Unsupported", new Entry(ErrorClass.UNSUPPORTED, BlockScope.ZONE)),
            // vCPU quotas are per region and family group: another region (or cloud) may have room
            Map.entry("VcpuLimitExceeded", new Entry(ErrorClass.QUOTA, BlockScope.REGION)),
            // the Spot vCPU quota of the group, per region; RunInstances names no limit
            Map.entry("MaxSpotInstanceCountExceeded", new Entry(ErrorClass.QUOTA, BlockScope.REGION)),
            Map.entry("InstanceLimitExceeded", new Entry(ErrorClass.QUOTA, BlockScope.REGION)),
            Map.entry("RequestLimitExceeded", new Entry(ErrorClass.THROTTLED, BlockScope.REGION)),
            Map.entry("Throttling", new Entry(ErrorClass.THROTTLED, BlockScope.REGION)),
            Map.entry("AuthFailure", new Entry(ErrorClass.AUTH, BlockScope.CLOUD)),
            Map.entry("UnauthorizedOperation", new Entry(ErrorClass.AUTH, BlockScope.CLOUD)),
            Map.entry("Blocked", new Entry(ErrorClass.AUTH, BlockScope.CLOUD)),
            // the account has not enabled this region
            Map.entry("OptInRequired", new Entry(ErrorClass.AUTH, BlockScope.REGION)),
            invalid("InvalidParameterValue", BlockScope.CLOUD),
            invalid("InvalidParameterCombination", BlockScope.CLOUD),
            invalid("InvalidParameter", BlockScope.CLOUD),
            invalid("MissingParameter", BlockScope.CLOUD),
            invalid("IdempotentParameterMismatch", BlockScope.CLOUD),
            invalid("InvalidUserData.Malformed", BlockScope.CLOUD),
            // a root volume below the image's snapshot, or out of its type's size range: the same everywhere
            invalid("InvalidBlockDeviceMapping", BlockScope.CLOUD),
            // AMIs are regional: another region may have the image under its own id
            Map.entry("InvalidAMIID.NotFound", new Entry(ErrorClass.UNSUPPORTED, BlockScope.REGION)),
            Map.entry("InvalidAMIID.Unavailable", new Entry(ErrorClass.UNSUPPORTED, BlockScope.REGION)),
            invalid("InvalidAMIID.Malformed", BlockScope.CLOUD),
            Map.entry("InternalError", new Entry(ErrorClass.TRANSIENT, BlockScope.ZONE)),
            Map.entry("InternalFailure", new Entry(ErrorClass.TRANSIENT, BlockScope.ZONE)),
            Map.entry("ServiceUnavailable", new Entry(ErrorClass.TRANSIENT, BlockScope.ZONE)),
            Map.entry("Unavailable", new Entry(ErrorClass.TRANSIENT, BlockScope.ZONE)));

    private static final Map<String, Entry> SSM_CODES = Map.of(
            "AccessDeniedException", new Entry(ErrorClass.AUTH, BlockScope.CLOUD),
            "UnrecognizedClientException", new Entry(ErrorClass.AUTH, BlockScope.CLOUD),
            "InvalidSignatureException", new Entry(ErrorClass.AUTH, BlockScope.CLOUD),
            // the parameter names no image here; another region (or cloud) may have one
            "ParameterNotFound", new Entry(ErrorClass.UNSUPPORTED, BlockScope.REGION),
            "ThrottlingException", new Entry(ErrorClass.THROTTLED, BlockScope.REGION));
    private static final Entry SSM_OTHERWISE = new Entry(ErrorClass.TRANSIENT, BlockScope.REGION);

    public static CloudError classify(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ImageUnavailableException) {
            return new CloudError(ErrorClass.UNSUPPORTED, BlockScope.REGION, "ImageUnavailable", e.getMessage());
        }
        if (e instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
            String message = aws.awsErrorDetails() == null || aws.awsErrorDetails().errorMessage() == null
                    ? aws.getMessage() : aws.awsErrorDetails().errorMessage();
            Entry entry;
            if (aws instanceof SsmException) {
                entry = code == null ? SSM_OTHERWISE : SSM_CODES.getOrDefault(code, SSM_OTHERWISE);
            } else {
                entry = code == null ? null : CODES.get(code);
                if (entry == null) entry = byStatus(aws);
            }
            return new CloudError(entry.errorClass(), entry.scope(), code == null ? "HTTP" + aws.statusCode() : code,
                    message);
        }
        if (e instanceof SdkClientException) {
            // no answer from EC2 (connection refused, timeout): nothing says the request itself is wrong
            return new CloudError(ErrorClass.TRANSIENT, BlockScope.ZONE, "ClientError", String.valueOf(e.getMessage()));
        }
        return new CloudError(ErrorClass.UNKNOWN, BlockScope.ZONE, e.getClass().getSimpleName(),
                String.valueOf(e.getMessage()));
    }

    private static Entry byStatus(AwsServiceException aws) {
        if (aws.isThrottlingException()) return new Entry(ErrorClass.THROTTLED, BlockScope.REGION);
        int status = aws.statusCode();
        if (status >= 500) return new Entry(ErrorClass.TRANSIENT, BlockScope.ZONE);
        if (status == 401 || status == 403) return new Entry(ErrorClass.AUTH, BlockScope.CLOUD);
        return new Entry(ErrorClass.UNKNOWN, BlockScope.ZONE);
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static Map.Entry<String, Entry> capacity(String code) {
        return Map.entry(code, new Entry(ErrorClass.CAPACITY, BlockScope.ZONE));
    }

    private static Map.Entry<String, Entry> invalid(String code, BlockScope scope) {
        return Map.entry(code, new Entry(ErrorClass.INVALID_REQUEST, scope));
    }

    private Ec2ErrorClassifier() { }
}
