package io.crossjobs.provisioner.azure.service;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/**
 * The SSH public key a Linux VM must carry: Azure refuses a Linux VM with password login off and no key
 * (InvalidParameter, target linuxConfiguration), and its API takes ssh-rsa keys of at least 2048 bits.
 */
final class SshKeys {
    private SshKeys() { }

    /**
     * A fresh RSA-3072 public key in OpenSSH form whose private half is never kept: the VM gets the key Azure
     * requires, and nobody can log in with it (crossjobs reads output through boot diagnostics, not SSH).
     */
    static String throwaway() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
            ByteArrayOutputStream blob = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(blob);
            // RFC 4253 section 6.6: string "ssh-rsa", mpint e, mpint n
            for (byte[] field : new byte[][] {"ssh-rsa".getBytes(StandardCharsets.US_ASCII),
                    key.getPublicExponent().toByteArray(), key.getModulus().toByteArray()}) {
                out.writeInt(field.length);
                out.write(field);
            }
            return "ssh-rsa " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " crossjobs-throwaway";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key generator in this JVM", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
