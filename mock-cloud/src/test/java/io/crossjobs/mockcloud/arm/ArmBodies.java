package io.crossjobs.mockcloud.arm;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;

/** Request bodies the ARM tests PUT: a virtual network, and a VM as Compute accepts it (key, subnet). */
final class ArmBodies {
    static final String SUB = "sub-1";
    static final String RG = "rg-1";
    static final String SUBNET = "/subscriptions/" + SUB + "/resourceGroups/" + RG
            + "/providers/Microsoft.Network/virtualNetworks/net-eastus/subnets/default";
    static final String VNET_PATH = "/subscriptions/" + SUB + "/resourceGroups/" + RG
            + "/providers/Microsoft.Network/virtualNetworks/net-eastus";
    static final Map<String, String> V = Map.of("api-version", "2025-04-01");
    static final String BASE = "https://127.0.0.1:8443/";

    private static String sshKey;

    private ArmBodies() { }

    /** An OpenSSH ssh-rsa public key of {@code bits}. */
    static String rsaKey(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
            ByteArrayOutputStream blob = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(blob);
            for (byte[] field : new byte[][] {"ssh-rsa".getBytes(StandardCharsets.US_ASCII),
                    key.getPublicExponent().toByteArray(), key.getModulus().toByteArray()}) {
                out.writeInt(field.length);
                out.write(field);
            }
            return "ssh-rsa " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " test";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A well-formed ssh-ed25519 public key (32 key bytes, all zero). */
    static String ed25519Key() {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(blob)) {
            byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
            out.writeInt(type.length);
            out.write(type);
            out.writeInt(32);
            out.write(new byte[32]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " test";
    }

    /** One 2048-bit key for every test (making one takes a while). */
    static synchronized String sshKey() {
        if (sshKey == null) sshKey = rsaKey(2048);
        return sshKey;
    }

    /** {@code net-eastus}: 10.0.0.0/16 with the subnet {@code default}. */
    static String vnet(String location) {
        return """
                {"location":"%s","tags":{"managed-by":"crossjobs"},
                 "properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},
                  "subnets":[{"name":"default","properties":{"addressPrefix":"10.0.0.0/16","defaultOutboundAccess":true}}]}}
                """.formatted(location);
    }

    /**
     * A VM in eastus zone 1 with the SSH key, custom data {@code script}, a NIC in {@link #SUBNET} and {@code extra}
     * (a JSON fragment inside {@code properties}, starting with a comma, or empty).
     */
    static String vm(String script, String extra) {
        String customData = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8));
        return """
                {"location":"eastus","zones":["1"],"tags":{"crossjobs-job-id":"j-1"},
                 "properties":{"hardwareProfile":{"vmSize":"Standard_D2s_v5"}%s,
                  "osProfile":{"computerName":"x","adminUsername":"azureuser","customData":"%s",
                   "linuxConfiguration":{"disablePasswordAuthentication":true,"ssh":{"publicKeys":[
                    {"path":"/home/azureuser/.ssh/authorized_keys","keyData":"%s"}]}}},
                  "networkProfile":{"networkApiVersion":"2020-11-01","networkInterfaceConfigurations":[{"name":"nic",
                   "properties":{"primary":true,"ipConfigurations":[{"name":"ip","properties":{
                    "subnet":{"id":"%s"}}}]}}]}}}
                """.formatted(extra, customData, sshKey(), SUBNET);
    }
}
