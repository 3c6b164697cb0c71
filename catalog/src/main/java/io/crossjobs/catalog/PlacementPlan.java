package io.crossjobs.catalog;

import io.crossjobs.events.Placement;

import java.util.List;
import java.util.Optional;

/** The optimizer's answer: feasible placements cheapest first, and a sentence saying why (or why none). */
public record PlacementPlan(List<Placement> candidates, String reason) {

    public PlacementPlan {
        candidates = List.copyOf(candidates);
    }

    public boolean feasible() { return !candidates.isEmpty(); }

    public Optional<Placement> cheapest() { return candidates.stream().findFirst(); }
}
