package io.crossjobs.jobapi.controller;

import io.smallrye.mutiny.Uni;

/** The controller's VMs as the cost report bills them; implemented by the controller keeper's store. */
public interface ControllerCosts {

    Uni<ControllerBilling> billing();
}
