package io.crossjobs.jobapi.service;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, set by the authentication filter before any resource runs. */
@RequestScoped
public class Callers {
    private Caller caller;

    public void set(Caller caller) {
        this.caller = caller;
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
