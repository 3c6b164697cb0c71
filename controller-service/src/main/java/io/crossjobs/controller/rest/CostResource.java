package io.crossjobs.controller.rest;

import io.crossjobs.controller.model.CostReport;
import io.crossjobs.controller.service.CostService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The cost report; job-api proxies it verbatim. */
@Path("/cost")
@Produces(MediaType.APPLICATION_JSON)
public class CostResource {
    private final CostService costs;

    public CostResource(CostService costs) {
        this.costs = costs;
    }

    @GET
    public Uni<CostReport> report() {
        return costs.report();
    }
}
