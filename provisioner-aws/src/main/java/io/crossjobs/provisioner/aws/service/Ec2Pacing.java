package io.crossjobs.provisioner.aws.service;

import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.provisioner.service.RateBudget;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

import java.time.Duration;
import java.util.Map;

/**
 * Paces every EC2 call of one region to EC2's request buckets (docs.aws.amazon.com/ec2/latest/devguide/
 * ec2-api-throttling.html: per account and region, one bucket per action), before the SDK sends it. A call waits
 * for its slot, at most {@code maxWait}. A call that gets no slot fails here as {@code RequestLimitExceeded}, as EC2 would have answered,
 * without reaching EC2. Runs in the calling thread: the SDK calls {@code beforeExecution} before it hands the request
 * to its asynchronous pipeline.
 */
final class Ec2Pacing implements ExecutionInterceptor {
    /** Request buckets (burst, refill per second) of the actions the adapter calls, paced just under them. */
    static final Map<String, RateBudget> BUCKETS = Map.of(
            "RunInstances", new RateBudget("RunInstances", 5, 2).withMargin(),
            "TerminateInstances", new RateBudget("TerminateInstances", 100, 5).withMargin(),
            "DescribeInstances", new RateBudget("DescribeInstances", 100, 20).withMargin(),
            "CreateTags", new RateBudget("CreateTags", 100, 10).withMargin(),
            "DescribeImages", new RateBudget("DescribeImages", 100, 20).withMargin());
    private static final String HELD_BACK = "paced: no ";

    private final CallPacer pacer;
    private final String region;
    private final Duration maxWait;

    Ec2Pacing(CallPacer pacer, String region, Duration maxWait) {
        this.pacer = pacer;
        this.region = region;
        this.maxWait = maxWait;
    }

    /**
     * EC2 refused a call anyway (the account's buckets are shared with other clients, or this process restarted
     * into buckets already drained): hold the action back for a second, the time EC2's faster buckets need to refill
     * a few tokens, and spend no burst after it.
     */
    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        RateBudget budget = BUCKETS.get(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        if (budget != null && context.exception() instanceof Ec2Exception e && e.awsErrorDetails() != null
                && "RequestLimitExceeded".equals(e.awsErrorDetails().errorCode()) && !heldBack(e)) {
            pacer.throttled(region, budget, Duration.ofSeconds(1));
        }
    }

    private static boolean heldBack(Ec2Exception e) {
        return e.getMessage() != null && e.getMessage().startsWith(HELD_BACK);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        RateBudget budget = BUCKETS.get(operation);
        if (budget == null) return;
        if (!pacer.await(region, budget, maxWait)) {
            throw Ec2Exception.builder().statusCode(503).message(HELD_BACK + operation + " slot in " + region)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("RequestLimitExceeded")
                            .errorMessage("Request limit exceeded (held back by crossjobs' pacing, not sent).")
                            .serviceName("Ec2").build())
                    .build();
        }
    }
}
