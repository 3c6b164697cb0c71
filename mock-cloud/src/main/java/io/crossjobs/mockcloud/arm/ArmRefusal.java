package io.crossjobs.mockcloud.arm;

/**
 * A request ARM refuses before doing anything: its HTTP status and {@code {"error":{"code","message","target"}}}
 * body. Thrown by the checks, answered by {@link ArmApi}.
 */
final class ArmRefusal extends RuntimeException {
    final int status;
    final String code;
    final String target;

    ArmRefusal(int status, String code, String target, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.target = target;
    }

    /** 400 without a target, as ARM answers a malformed or incomplete body. */
    static ArmRefusal badRequest(String code, String message) {
        return new ArmRefusal(400, code, null, message);
    }

    /** Compute's 400 {@code InvalidParameter} naming the offending property. */
    static ArmRefusal invalidParameter(String target, String message) {
        return new ArmRefusal(400, "InvalidParameter", target, message);
    }

    ArmResponse response() {
        return ArmResponse.error(status, code, target, getMessage());
    }
}
