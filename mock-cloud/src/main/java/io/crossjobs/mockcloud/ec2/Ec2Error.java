package io.crossjobs.mockcloud.ec2;

/** An EC2 API error: rendered as {@code <Response><Errors><Error><Code>...} with the given HTTP status. */
public final class Ec2Error extends RuntimeException {
    private final int status;
    private final String code;

    public Ec2Error(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static Ec2Error invalidValue(String message) {
        return new Ec2Error(400, "InvalidParameterValue", message);
    }
}
