package io.crossjobs.mockcloud.arm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.account.AccountState;
import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.sim.Cloud;

/**
 * The mock account as Resource Manager enforces it ({@link Accounts}, cloud {@code azure}), before a call is served:
 * a revoked credential is 401 {@code InvalidAuthenticationToken} on every call; an action the principal lacks is 403
 * {@code AuthorizationFailed} over the request's scope (a subnet a new VM's NIC joins: 403
 * {@code LinkedAuthorizationFailed}); a resource group the account lacks is 404 {@code ResourceGroupNotFound} for
 * every call under it, checked after authorization as ARM does. It also renders the principal's permissions
 * (Permissions - List For Resource Group): Contributor's, with the denied actions added to its notActions.
 */
final class ArmAccount {
    /** The principal's ids in ARM's messages: made up, stable. */
    static final String CLIENT_ID = "c0ffee00-0000-4000-8000-00000000c11e";
    /** Contributor's notActions (learn.microsoft.com/azure/role-based-access-control/built-in-roles/general). */
    static final List<String> CONTRIBUTOR_NOT_ACTIONS = List.of("Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action",
            "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete",
            "Microsoft.Compute/galleries/share/action", "Microsoft.Purview/consents/write",
            "Microsoft.Purview/consents/delete");
    private static final Pattern RESOURCE_GROUP = Pattern.compile("/subscriptions/[^/]+/resourceGroups/([^/]+)(?:/.*)?",
            Pattern.CASE_INSENSITIVE);

    /** What one request needs: its action over its scope, and actions over linked scopes (a subnet joined). */
    record Needs(String action, String scope, List<Linked> linked) {
        static Needs none() {
            return new Needs(null, null, List.of());
        }
    }

    /** An action needed on a resource the request links to, e.g. joining a subnet. */
    record Linked(String action, String scope) { }

    private final Accounts accounts;

    ArmAccount(Accounts accounts) {
        this.accounts = accounts;
    }

    /** Refuses the request as ARM would for the account's state; returns normally when it may be served. */
    void admit(Needs needs, String path) {
        AccountState state = accounts.of(Cloud.AZURE);
        if (state.credentialsRevoked()) {
            throw new ArmRefusal(401, "InvalidAuthenticationToken", null, "The access token is invalid.");
        }
        if (needs.action() != null && denied(state, needs.action())) {
            throw new ArmRefusal(403, "AuthorizationFailed", null, "The client '" + CLIENT_ID + "' with object id '"
                    + CLIENT_ID + "' does not have authorization to perform action '" + needs.action() + "' over scope '"
                    + needs.scope() + "' or the scope is invalid. If access was recently granted, please refresh your"
                    + " credentials.");
        }
        for (Linked linked : needs.linked()) {
            if (!denied(state, linked.action())) continue;
            throw new ArmRefusal(403, "LinkedAuthorizationFailed", null, "The client '" + CLIENT_ID
                    + "' with object id '" + CLIENT_ID + "' has permission to perform action '" + needs.action()
                    + "' on scope '" + needs.scope() + "'; however, it does not have permission to perform action '"
                    + linked.action() + "' on the linked scope(s) '" + linked.scope() + "' or the linked scope(s) are invalid.");
        }
        Matcher m = RESOURCE_GROUP.matcher(path);
        if (m.matches() && missingGroup(state, m.group(1))) {
            throw new ArmRefusal(404, "ResourceGroupNotFound", null, "Resource group '" + m.group(1)
                    + "' could not be found.");
        }
    }

    /** Whether the account has resource group {@code name} (names are case-insensitive). */
    boolean hasResourceGroup(String name) {
        return !missingGroup(accounts.of(Cloud.AZURE), name);
    }

    /** Permissions - List For Resource Group: one Contributor-like entry, the denied actions in its notActions. */
    ObjectNode permissions() {
        ObjectNode page = ArmResponse.JSON.createObjectNode();
        ObjectNode entry = page.putArray("value").addObject();
        entry.putArray("actions").add("*");
        ArrayNode not = entry.putArray("notActions");
        CONTRIBUTOR_NOT_ACTIONS.forEach(not::add);
        accounts.of(Cloud.AZURE).deniedPermissions().stream().sorted().forEach(not::add);
        entry.putArray("dataActions");
        entry.putArray("notDataActions");
        return page;
    }

    /** The subnets a VM body's inline NICs join: each needs {@code subnets/join/action} on it. */
    static List<Linked> joinedSubnets(JsonNode vm) {
        List<Linked> out = new ArrayList<>();
        for (JsonNode nic : vm.at("/properties/networkProfile/networkInterfaceConfigurations")) {
            for (JsonNode ip : nic.at("/properties/ipConfigurations")) {
                String subnet = ip.at("/properties/subnet/id").asText("");
                if (!subnet.isEmpty()) out.add(new Linked("Microsoft.Network/virtualNetworks/subnets/join/action", subnet));
            }
        }
        return out;
    }

    private static boolean denied(AccountState state, String action) {
        return state.deniedPermissions().stream().anyMatch(d -> d.equalsIgnoreCase(action));
    }

    private static boolean missingGroup(AccountState state, String name) {
        String wanted = ("resource-group:" + name).toLowerCase(Locale.ROOT);
        return state.missing().stream().anyMatch(m -> m.toLowerCase(Locale.ROOT).equals(wanted));
    }
}
