package io.crossjobs.mockcloud.sim;

import java.nio.charset.StandardCharsets;

/** Echoes a VM's user data to its console instead of running it: front-end tests read it back. */
public final class EchoRunner implements WorkloadRunner {
    @Override
    public Workload start(VmView vm, byte[] userData, ConsoleBuffer console) {
        console.append(new String(userData, StandardCharsets.UTF_8));
        return null;
    }
}
