package io.crossjobs.mockcloud.arm;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Compute refuses in a VM PUT before it creates anything, in ARM's words (status, code, target, message):
 * an unknown size, a Linux VM nobody could log in to, oversized custom data, an OS disk smaller than the image or
 * larger than Azure allows, a NIC in a subnet that is not there. Policy only: the subnets are looked up through
 * the function given.
 */
final class ArmVmChecks {

    /** The VM being PUT: where its NICs would be made. */
    record Target(String subscription, String resourceGroup, String name, String location) { }

    private ArmVmChecks() { }

    /**
     * @param subnetLocation a subnet's ARM id → the location of its virtual network, empty when there is no such
     *                       subnet
     * @throws ArmRefusal the first check that fails
     */
    static void check(JsonNode model, Target vm, ArmRules rules, Function<String, Optional<String>> subnetLocation) {
        JsonNode props = model.path("properties");
        vmSize(props.path("hardwareProfile").path("vmSize").asText(""), rules);
        if (rules.requireLinuxCredentials()) credentials(props);
        customData(props.path("osProfile"), rules);
        osDisk(props.path("storageProfile").path("osDisk"), rules);
        if (rules.requireSubnet()) network(props.path("networkProfile"), vm, subnetLocation);
    }

    /** ARM takes a location by name or display name, in any case: {@code eastus} is {@code East US}. */
    static boolean sameLocation(String a, String b) {
        return a.replace(" ", "").toLowerCase(Locale.ROOT).equals(b.replace(" ", "").toLowerCase(Locale.ROOT));
    }

    private static void vmSize(String size, ArmRules rules) {
        if (!rules.checkVmSizes() || ArmVmSizes.isKnown(size, rules.extraVmSizes())) return;
        throw ArmRefusal.invalidParameter("vmSize", "The value " + size + " provided for the VM size is not valid."
                + " The valid sizes in the current region are: " + ArmVmSizes.list(rules.extraVmSizes()) + ".");
    }

    /** A generalized marketplace image keeps no login: the PUT must bring one (a password or an SSH key). */
    private static void credentials(JsonNode props) {
        JsonNode os = props.path("osProfile");
        if (!os.isObject()) {
            throw ArmRefusal.invalidParameter("osProfile", "Required parameter 'osProfile' is missing (null).");
        }
        JsonNode linux = os.path("linuxConfiguration");
        JsonNode keys = linux.path("ssh").path("publicKeys");
        int keyCount = 0;
        for (JsonNode key : keys) {
            if (!validKey(key.path("keyData").asText(""))) {
                throw ArmRefusal.invalidParameter("linuxConfiguration.ssh.publicKeys.keyData",
                        "The value of parameter linuxConfiguration.ssh.publicKeys.keyData is invalid.");
            }
            keyCount++;
        }
        boolean passwordOff = linux.path("disablePasswordAuthentication").asBoolean(false);
        boolean password = !os.path("adminPassword").asText("").isEmpty();
        if (keyCount == 0 && (passwordOff || !password)) {
            throw ArmRefusal.invalidParameter("linuxConfiguration", "Authentication using either SSH or by user name"
                    + " and password must be enabled in Linux profile.");
        }
    }

    /**
     * OpenSSH public key text, ssh-rsa with a modulus of at least 2048 bits: the Compute spec's "at least 2048-bit
     * and in ssh-rsa format" (other key types are refused here; whether Azure now takes Ed25519 is not clear).
     */
    static boolean validKey(String keyData) {
        String[] parts = keyData.trim().split("\\s+");
        if (parts.length < 2) return false;
        ByteBuffer blob;
        try {
            blob = ByteBuffer.wrap(Base64.getDecoder().decode(parts[1]));
            String type = new String(field(blob), StandardCharsets.US_ASCII);
            if (!type.equals(parts[0])) return false;
            if (!type.equals("ssh-rsa")) return false;
            field(blob);                                                   // public exponent
            return new BigInteger(field(blob)).bitLength() >= 2048;        // modulus
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            return false;
        }
    }

    /** One length-prefixed field of an SSH wire-format key. */
    private static byte[] field(ByteBuffer blob) {
        int length = blob.getInt();
        if (length < 0 || length > blob.remaining()) throw new IllegalArgumentException("bad field length");
        byte[] out = new byte[length];
        blob.get(out);
        return out;
    }

    private static void customData(JsonNode os, ArmRules rules) {
        String b64 = os.path("customData").asText("");
        if (b64.length() <= rules.customDataMaxChars()) return;
        throw ArmRefusal.invalidParameter("customData", "Custom data in OSProfile must be in Base64 encoding and with"
                + " a maximum length of " + rules.customDataMaxChars() + " characters.");
    }

    private static void osDisk(JsonNode disk, ArmRules rules) {
        JsonNode size = disk.path("diskSizeGB");
        if (size.isMissingNode() || size.isNull()) return;
        if (!size.canConvertToInt() || size.asInt() < 1) {
            throw ArmRefusal.invalidParameter("osDisk.diskSizeGB", "The value of parameter osDisk.diskSizeGB is"
                    + " invalid.");
        }
        int gb = size.asInt();
        if (gb < rules.imageOsDiskGb()) {
            throw new ArmRefusal(409, "OperationNotAllowed", "osDisk.diskSizeGB", "The specified disk size " + gb
                    + " GB is smaller than the size of the corresponding disk in the VM image: " + rules.imageOsDiskGb()
                    + " GB. This is not allowed. Please choose equal or greater size or do not specify an explicit"
                    + " size.");
        }
        if (gb > rules.osDiskMaxGb()) {
            throw ArmRefusal.invalidParameter("osDisk.diskSizeGB", "The specified disk size " + gb + " GB is larger"
                    + " than the largest OS disk, " + rules.osDiskMaxGb() + " GB.");
        }
    }

    /** Compute makes each inline NIC in its subnet; Network refuses a subnet it cannot find in the VM's location. */
    private static void network(JsonNode network, Target vm, Function<String, Optional<String>> subnetLocation) {
        JsonNode configs = network.path("networkInterfaceConfigurations");
        if (configs.size() == 0 && network.path("networkInterfaces").size() == 0) {
            throw ArmRefusal.invalidParameter("networkProfile", "Required parameter 'networkProfile' is missing (null).");
        }
        for (JsonNode config : configs) {
            String nicId = "/subscriptions/" + vm.subscription() + "/resourceGroups/" + vm.resourceGroup()
                    + "/providers/Microsoft.Network/networkInterfaces/" + config.path("name").asText(vm.name());
            for (JsonNode ip : config.path("properties").path("ipConfigurations")) {
                String subnet = ip.path("properties").path("subnet").path("id").asText("");
                if (subnet.isEmpty()) {
                    throw ArmRefusal.invalidParameter("networkInterfaceConfigurations.ipConfigurations.subnet",
                            "Required parameter 'subnet' is missing (null).");
                }
                Optional<String> location = subnetLocation.apply(subnet);
                if (location.isEmpty() || !sameLocation(location.get(), vm.location())) {
                    throw ArmRefusal.badRequest("InvalidResourceReference", "Resource " + subnet + " referenced by"
                            + " resource " + nicId + " was not found. Please make sure that the referenced resource"
                            + " exists, and that both resources are in the same region.");
                }
            }
        }
    }
}
