package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.cost.CostReport;
import io.crossjobs.jobapi.cost.CostService;
import io.crossjobs.jobapi.service.Callers;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * What jobs and the controller cost so far, and how to pay less: the caller's jobs (an admin: everyone's); the
 * controller's section and advice for everyone.
 */
@Path("/cost")
@Produces(MediaType.APPLICATION_JSON)
public class CostResource {
    private final CostService costs;
    private final Callers callers;

    public CostResource(CostService costs, Callers callers) {
        this.costs = costs;
        this.callers = callers;
    }

    @GET
    public Uni<CostReport> report() {
        return costs.report(callers.caller());
    }
}
