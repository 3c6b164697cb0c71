package io.crossjobs.events;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretSealerTest {
    private final SecretSealer sealer = SecretSealer.fromBase64Key(SecretSealer.newKey());

    @Test
    void sealedValuesOpenAgainAndDoNotShowThePlainText() {
        String sealed = sealer.seal("hunter2 ✓");
        assertFalse(sealed.contains("hunter2"));
        assertEquals("hunter2 ✓", sealer.unseal(sealed));
        assertNotEquals(sealed, sealer.seal("hunter2 ✓"), "a fresh IV per value");
    }

    @Test
    void anotherKeyOrATamperedValueDoesNotOpen() {
        String sealed = sealer.seal("token");
        SecretSealer other = SecretSealer.fromBase64Key(SecretSealer.newKey());
        assertThrows(IllegalArgumentException.class, () -> other.unseal(sealed));
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThrows(IllegalArgumentException.class, () -> sealer.unseal(tampered));
        assertThrows(IllegalArgumentException.class, () -> sealer.unseal("plain"));
        assertThrows(IllegalArgumentException.class, () -> new SecretSealer(new byte[16]));
    }
}
