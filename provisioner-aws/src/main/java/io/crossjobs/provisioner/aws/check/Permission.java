package io.crossjobs.provisioner.aws.check;

/**
 * What the check learnt of one IAM action the provisioner uses.
 *
 * @param outcome GRANTED, DENIED (the cloud said so), OPEN (cannot be told without writing, or the cloud's answer
 *                does not tell), ERROR (the probe failed otherwise)
 * @param why     the error code, or why it stays open; null when granted
 */
record Permission(String action, Outcome outcome, String why) {
    enum Outcome { GRANTED, DENIED, OPEN, ERROR }

    static Permission granted(String action) { return new Permission(action, Outcome.GRANTED, null); }

    static Permission denied(String action, String code) { return new Permission(action, Outcome.DENIED, code); }

    static Permission open(String action, String why) { return new Permission(action, Outcome.OPEN, why); }

    static Permission error(String action, String code) { return new Permission(action, Outcome.ERROR, code); }

    @Override
    public String toString() {
        return why == null ? action : action + " (" + why + ")";
    }
}
