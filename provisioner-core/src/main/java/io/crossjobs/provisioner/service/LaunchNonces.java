package io.crossjobs.provisioner.service;

import io.crossjobs.provisioner.model.ClusterKey;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The nonce that signs one launch's exit markers (see {@code ExitMarkers}). It is an HMAC of the cluster key
 * under a key derived from {@code crossjobs.secrets.key}: a provisioner that restarts computes the same nonce
 * again without storing anything, and a job, which never sees the key, cannot compute it. Without a secrets
 * key, a random key per process is used: markers of clusters launched before a restart are then not
 * recognised (the job ends only by the cloud's state), which the start-up log says.
 */
@ApplicationScoped
public class LaunchNonces {
    private static final Logger LOG = Logger.getLogger(LaunchNonces.class);
    private static final String PURPOSE = "crossjobs exit-marker nonce v1";

    private final byte[] key;

    public LaunchNonces(@ConfigProperty(name = "crossjobs.secrets.key") Optional<String> secretsKey) {
        Optional<String> configured = secretsKey.filter(k -> !k.isBlank());
        if (configured.isPresent()) {
            this.key = hmac(Base64.getDecoder().decode(configured.get().trim()), PURPOSE);
        } else {
            LOG.warn("crossjobs.secrets.key is not set: exit markers are signed with a key of this process only, "
                    + "so clusters launched before a restart report their exit only through the cloud's state");
            this.key = new byte[32];
            new SecureRandom().nextBytes(key);
        }
    }

    /** 24 characters of base64url, the same for every node and every poll of one launch. */
    public String of(ClusterKey cluster) {
        String id = cluster.jobId() + "\n" + cluster.attempt() + "\n" + cluster.clusterName();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hmac(key, id), 18));
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
