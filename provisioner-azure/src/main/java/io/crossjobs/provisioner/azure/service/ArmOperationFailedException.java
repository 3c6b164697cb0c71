package io.crossjobs.provisioner.azure.service;

import com.azure.core.management.polling.PollResult;
import com.azure.core.util.polling.PollResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/** An ARM long-running operation ended Failed; {@code code} is the operation's error code (AllocationFailed, ...). */
public class ArmOperationFailedException extends RuntimeException {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String code;

    public ArmOperationFailedException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public String code() { return code; }

    /**
     * The failure of a finished operation. Its error exists only in the operation's body (the SDK's final result
     * would just be null), so the code and message are read from there.
     */
    static ArmOperationFailedException of(PollResponse<? extends PollResult<?>> last) {
        PollResult.Error error = last.getValue() == null ? null : last.getValue().getError();
        String code = "OperationFailed";
        String message = error == null ? "the operation failed" : error.getMessage();
        if (error != null && error.getResponseBody() != null) {
            try {
                JsonNode body = JSON.readTree(error.getResponseBody());
                JsonNode e = body.has("error") ? body.get("error") : body;
                if (e.hasNonNull("code")) code = e.get("code").asText();
                if (e.hasNonNull("message")) message = e.get("message").asText();
            } catch (IOException ignored) {
                // the body is not JSON: keep the SDK's message
            }
        }
        return new ArmOperationFailedException(code, message);
    }
}
