package io.crossjobs.mockcloud.ec2;

/** An EC2 answer: HTTP status, XML body and the request id also sent as a header. */
public record Ec2Response(int status, String body, String requestId) {
}
