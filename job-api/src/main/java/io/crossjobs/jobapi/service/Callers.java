package io.crossjobs.jobapi.service;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, set by the authentication filter before any resource runs. */
@RequestScoped
public class Callers {
    private Caller caller;
    private String token;

    /** {@code token}: the hash of the request's API token, under which per-token caps count. */
    public void set(Caller caller, String token) {
        this.caller = caller;
        this.token = token;
    }

    /** The hash of the request's API token (never the token itself). */
    public String token() {
        if (token == null) throw new IllegalStateException("no authenticated caller on this request");
        return token;
    }

    public Caller caller() {
        if (caller == null) throw new IllegalStateException("no authenticated caller on this request");
        return caller;
    }

    /** The caller's user name: the owner of what it submits. */
    public String current() {
        return caller().name();
    }
}
