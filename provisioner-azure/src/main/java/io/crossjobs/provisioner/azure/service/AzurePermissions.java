package io.crossjobs.provisioner.azure.service;

import com.azure.resourcemanager.authorization.fluent.models.PermissionInner;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The Resource Manager actions the provisioner uses in its resource group (the least-privilege role of /README.md,
 * "Running on real clouds", Azure), and whether a principal's permissions grant them. Azure grants an action when
 * some permission's {@code actions} match it and the same permission's {@code notActions} do not, {@code *} matching
 * any characters, case-insensitively (learn.microsoft.com/azure/role-based-access-control/role-definitions, "Actions",
 * "NotActions").
 */
final class AzurePermissions {
    /** In the order of the README's role. */
    static final List<String> REQUIRED = List.of(
            "Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/write",
            "Microsoft.Compute/virtualMachines/delete", "Microsoft.Compute/disks/read",
            "Microsoft.Compute/disks/delete", "Microsoft.Network/networkInterfaces/read",
            "Microsoft.Network/networkInterfaces/write", "Microsoft.Network/networkInterfaces/delete",
            "Microsoft.Network/networkInterfaces/join/action", "Microsoft.Network/virtualNetworks/read",
            "Microsoft.Network/virtualNetworks/write", "Microsoft.Network/virtualNetworks/subnets/read",
            "Microsoft.Network/virtualNetworks/subnets/join/action",
            "Microsoft.Resources/subscriptions/resourceGroups/read");

    private AzurePermissions() { }

    /** The required actions {@code permissions} do not grant, in {@link #REQUIRED}'s order. */
    static List<String> missing(List<PermissionInner> permissions) {
        return REQUIRED.stream().filter(action -> permissions.stream().noneMatch(p -> grants(p, action))).toList();
    }

    static boolean grants(PermissionInner permission, String action) {
        return anyMatches(permission.actions(), action) && !anyMatches(permission.notActions(), action);
    }

    private static boolean anyMatches(List<String> patterns, String action) {
        if (patterns == null) return false;
        return patterns.stream().anyMatch(p -> matches(p, action));
    }

    static boolean matches(String pattern, String action) {
        String[] parts = pattern.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) regex.append(".*");
            regex.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(action).matches();
    }
}
