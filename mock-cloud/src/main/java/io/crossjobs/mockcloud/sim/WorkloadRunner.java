package io.crossjobs.mockcloud.sim;

/** Starts VM workloads and cleans up after VMs. */
public interface WorkloadRunner extends AutoCloseable {

    /**
     * Starts {@code vm}'s user data, which starts with {@code #!}. Output goes to {@code console}.
     *
     * @return the running workload, or null when nothing keeps running
     * @throws Exception when it cannot be started; the simulator notes that on the console
     */
    Workload start(VmView vm, byte[] userData, ConsoleBuffer console) throws Exception;

    /** The VM is gone for good: drop whatever was kept for it. */
    default void forget(VmView vm) { }

    @Override
    default void close() { }
}
