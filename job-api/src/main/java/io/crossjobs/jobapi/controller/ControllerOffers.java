package io.crossjobs.jobapi.controller;

import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PlacementPlan;
import io.crossjobs.events.Resources;

import java.util.List;

/** What the catalog offers the controller: on-demand instances fitting its size, cheapest first. */
public final class ControllerOffers {

    /**
     * The controller's placements on {@code cloud} in {@code region}, sized by {@code cpus}/{@code memory}
     * (SkyPilot's forms, "4+"); a null cloud or region means any.
     */
    public static PlacementPlan plan(Optimizer optimizer, String cloud, String region, String cpus, String memory) {
        return optimizer.plan(
                Resources.builder().cloud(cloud).region(region).cpus(cpus).memory(memory).build(), List.of());
    }

    private ControllerOffers() { }
}
