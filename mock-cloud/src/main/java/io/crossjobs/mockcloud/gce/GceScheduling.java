package io.crossjobs.mockcloud.gce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.gce.GceRules.Check;

/**
 * An instance's {@code scheduling} with Compute Engine's defaults filled in: a standard VM migrates on host
 * maintenance and restarts automatically; a spot or preemptible VM terminates on host maintenance, never
 * restarts, and on preemption is stopped unless its instanceTerminationAction is DELETE.
 *
 * @param spot               provisioningModel SPOT or preemptible true
 * @param onHostMaintenance  MIGRATE or TERMINATE, as sent or by default
 * @param automaticRestart   as sent or by default
 * @param terminationAction  STOP or DELETE for a spot VM (as sent, default STOP); null for a standard VM
 */
record GceScheduling(boolean spot, String onHostMaintenance, boolean automaticRestart, String terminationAction) {
    static final String MIGRATE = "MIGRATE";
    static final String TERMINATE = "TERMINATE";
    static final String STOP = "STOP";
    static final String DELETE = "DELETE";

    /** Reads {@code scheduling} (absent: a standard VM) and refuses values GCE does not take. */
    static GceScheduling of(JsonNode scheduling, GceRules rules) {
        String model = text(scheduling, "provisioningModel");
        if (model != null && !model.equals("SPOT") && !model.equals("STANDARD")) {
            throw GceError.invalid("Invalid value for field 'resource.scheduling.provisioningModel': '" + model + "'.");
        }
        boolean preemptible = scheduling.path("preemptible").asBoolean(false);
        boolean spot = "SPOT".equals(model) || preemptible;
        String maintenance = text(scheduling, "onHostMaintenance");
        if (maintenance != null && !maintenance.equals(MIGRATE) && !maintenance.equals(TERMINATE)) {
            throw GceError.invalid("Invalid value for field 'resource.scheduling.onHostMaintenance': '"
                    + maintenance + "'.");
        }
        JsonNode restart = scheduling.path("automaticRestart");
        boolean restarts = restart.isBoolean() ? restart.asBoolean() : !spot;
        String action = text(scheduling, "instanceTerminationAction");
        if (action != null && !action.equals(STOP) && !action.equals(DELETE)) {
            throw GceError.invalid("Invalid value for field 'resource.scheduling.instanceTerminationAction': '"
                    + action + "'.");
        }
        if (spot && rules.applies(Check.SPOT_SCHEDULING)) {
            if (restarts) {
                throw GceError.invalid("Invalid value for field 'resource.scheduling.preemptible': 'true'. Scheduling"
                        + " must have preemptible be false when AutomaticRestart is true.");
            }
            if (MIGRATE.equals(maintenance)) {
                throw GceError.invalid("Invalid value for field 'resource.scheduling.preemptible': 'true'. Scheduling"
                        + " must have preemptible be false when OnHostMaintenance isn't TERMINATE.");
            }
        }
        String effectiveMaintenance = maintenance != null ? maintenance : spot ? TERMINATE : MIGRATE;
        return new GceScheduling(spot, effectiveMaintenance, restarts, spot ? (action != null ? action : STOP) : null);
    }

    boolean migratesOnHostMaintenance() {
        return MIGRATE.equals(onHostMaintenance);
    }

    /** Preemption deletes the instance (and, as it auto-deletes, its boot disk) instead of stopping it. */
    boolean deletedOnPreemption() {
        return DELETE.equals(terminationAction);
    }

    /** The fields as instances.get shows them. */
    void render(ObjectNode into) {
        into.put("provisioningModel", spot ? "SPOT" : "STANDARD").put("preemptible", spot)
                .put("automaticRestart", automaticRestart).put("onHostMaintenance", onHostMaintenance);
        if (terminationAction != null) into.put("instanceTerminationAction", terminationAction);
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.path(field);
        return n.isMissingNode() || n.isNull() || n.asText().isBlank() ? null : n.asText();
    }
}
