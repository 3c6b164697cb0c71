package io.crossjobs.jobapi.service;

public class JobNotFoundException extends RuntimeException {
    private final String jobId;

    public JobNotFoundException(String jobId) {
        super("job " + jobId + " not found");
        this.jobId = jobId;
    }

    public String jobId() { return jobId; }
}
