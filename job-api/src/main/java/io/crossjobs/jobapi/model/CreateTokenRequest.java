package io.crossjobs.jobapi.model;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** {@code POST /tokens}: a token for {@code user}; {@code admin} tokens see and cancel every job. */
public record CreateTokenRequest(
        @NotNull(message = "is required: the user the token acts as")
        @Pattern(regexp = "[A-Za-z0-9][-_.@A-Za-z0-9]{0,127}",
                message = "must be 1-128 letters, digits, '-', '_', '.', '@', starting with a letter or digit")
        String user,
        Boolean admin) {
}
