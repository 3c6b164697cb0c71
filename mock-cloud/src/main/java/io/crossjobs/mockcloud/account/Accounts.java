package io.crossjobs.mockcloud.account;

import io.crossjobs.mockcloud.sim.Cloud;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Map;

/**
 * The mock account's state per cloud ({@link AccountState}), read by each cloud's front ends before they serve a
 * call and by the calls that report on the account (credentials, permissions, networks). Like quotas, these are
 * account settings: {@code POST /mock/reset} keeps them, {@code DELETE /mock/account} clears them.
 */
@ApplicationScoped
public class Accounts {
    private final Map<Cloud, AccountState> states = new EnumMap<>(Cloud.class);

    public synchronized AccountState of(Cloud cloud) {
        return states.getOrDefault(cloud, AccountState.HEALTHY);
    }

    public boolean credentialsRevoked(Cloud cloud) {
        return of(cloud).credentialsRevoked();
    }

    /** Whether the principal lacks {@code permission}, named as {@code cloud} names it. */
    public boolean denied(Cloud cloud, String permission) {
        return of(cloud).deniedPermissions().contains(permission);
    }

    /** Whether the account lacks the prerequisite {@code kind:scope}, e.g. {@code default-vpc:us-east-1}. */
    public boolean missing(Cloud cloud, String kind, String scope) {
        return of(cloud).missing().contains(kind + ":" + scope);
    }

    public synchronized void set(Cloud cloud, AccountState state) {
        states.put(cloud, state);
    }

    public synchronized void clear() {
        states.clear();
    }
}
