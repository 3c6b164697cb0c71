package io.crossjobs.mockcloud.sim;

/**
 * Told when a VM starts or stops costing money (enters or leaves pending/running). Called under the
 * simulator's lock, in the order the changes happen, so it must be quick and must not call the simulator.
 */
public interface AliveListener {
    AliveListener NONE = new AliveListener() {
        @Override
        public void becameAlive(VmView vm) { }

        @Override
        public void stoppedBeingAlive(VmView vm) { }
    };

    void becameAlive(VmView vm);

    void stoppedBeingAlive(VmView vm);
}
