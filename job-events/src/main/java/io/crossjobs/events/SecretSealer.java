package io.crossjobs.events;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Seals a task's secret values (AES-256-GCM) so that they cross Kafka and the controller's database as
 * ciphertext: job-api seals, the provisioner unseals just before writing the startup script. The sealed
 * form is {@code v1:<base64(iv | ciphertext+tag)>}.
 */
public final class SecretSealer {
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SecretSealer(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("a secrets key has 32 bytes, got " + key.length);
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** From the base64 form that configuration holds ({@link #newKey()} makes one). */
    public static SecretSealer fromBase64Key(String base64Key) {
        return new SecretSealer(Base64.getDecoder().decode(base64Key.trim()));
    }

    public static String newKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    public String seal(String plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plain value; an {@link IllegalArgumentException} if it was not sealed with this key. */
    public String unseal(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) throw new IllegalArgumentException("not a sealed secret");
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            if (all.length <= IV_BYTES) throw new IllegalArgumentException("sealed secret is truncated");
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("sealed secret does not open with this key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
