package io.crossjobs.mockcloud.account;

import java.util.List;
import java.util.Set;

/**
 * What is wrong with the mock's account on one cloud, as an operator's real account can be wrong; the default is
 * nothing. Each cloud's front ends answer with that cloud's own error wherever it applies.
 *
 * @param credentialsRevoked every call of this cloud is refused as the cloud refuses a bad or revoked key (EC2
 *                           {@code AuthFailure}, Compute Engine and Cloud Storage 401, Resource Manager 401
 *                           {@code InvalidAuthenticationToken})
 * @param deniedPermissions  permissions the principal lacks, in the cloud's own names ({@code ec2:RunInstances},
 *                           {@code compute.instances.create}, {@code Microsoft.Compute/virtualMachines/write}): the
 *                           calls that need one are refused, and the cloud's permission checks (EC2 {@code DryRun},
 *                           {@code testIamPermissions}, Azure's permissions list) leave it out
 * @param missing            prerequisites the account lacks, named {@code kind:scope} by the front end that reads
 *                           them: {@code default-vpc:<region>} (EC2), {@code network:<name>} (Compute Engine),
 *                           {@code resource-group:<name>} (Resource Manager)
 */
public record AccountState(boolean credentialsRevoked, Set<String> deniedPermissions, Set<String> missing) {

    public static final AccountState HEALTHY = new AccountState(false, Set.of(), Set.of());

    public AccountState {
        deniedPermissions = deniedPermissions == null ? Set.of() : Set.copyOf(deniedPermissions);
        missing = missing == null ? Set.of() : Set.copyOf(missing);
    }

    /** For the admin API: the same fields, sorted. */
    public record View(String cloud, boolean credentialsRevoked, List<String> deniedPermissions, List<String> missing) {
        static View of(String cloud, AccountState s) {
            return new View(cloud, s.credentialsRevoked(), s.deniedPermissions().stream().sorted().toList(),
                    s.missing().stream().sorted().toList());
        }
    }
}
