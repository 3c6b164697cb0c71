package io.crossjobs.mockcloud.sim;

/**
 * Simulate mode: users' workloads are simulated ({@link SimulatedWorkloadRunner}), but a VM tagged
 * {@code crossjobs-role=controller} runs its user data as a real process ({@link ProcessWorkloadRunner}). Simulate
 * mode stands in for the jobs crossjobs runs, not for crossjobs' own control plane: the jobs controller started by
 * that user data must really run, or nothing would manage the simulated jobs.
 */
public final class SimulateModeRunner implements WorkloadRunner {
    private final SimulatedWorkloadRunner simulated;
    private final ProcessWorkloadRunner processes;

    public SimulateModeRunner(SimulatedWorkloadRunner simulated, ProcessWorkloadRunner processes) {
        this.simulated = simulated;
        this.processes = processes;
    }

    @Override
    public Workload start(VmView vm, byte[] userData, ConsoleBuffer console) throws Exception {
        return vm.runsController() ? processes.start(vm, userData, console) : simulated.start(vm, userData, console);
    }

    /** Both are told: a VM's tags may have changed since its start, and forgetting a VM never started is harmless. */
    @Override
    public void forget(VmView vm) {
        simulated.forget(vm);
        processes.forget(vm);
    }

    @Override
    public void close() {
        simulated.close();
        processes.close();
    }
}
