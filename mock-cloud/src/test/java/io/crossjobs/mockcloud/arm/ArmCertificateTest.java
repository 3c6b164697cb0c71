package io.crossjobs.mockcloud.arm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ARM certificate's subject alternative names, read back from the PEM clients trust. */
class ArmCertificateTest {
    private static final int DNS = 2;
    private static final int IP = 7;

    @TempDir
    Path dir;

    @Test
    void withoutExtraNamesOnlyLoopbackIsCovered() throws Exception {
        ArmCertificate cert = ArmCertificate.generate(dir);

        assertEquals(Set.of("dns:localhost", "ip:127.0.0.1"), names(cert));
    }

    @Test
    void extraHostNamesAndIpsAreAddedBesideLoopback() throws Exception {
        ArmCertificate cert = ArmCertificate.generate(dir, List.of("mock-cloud", " Mock-Cloud.Internal ", "10.1.2.3", ""));

        assertEquals(Set.of("dns:localhost", "ip:127.0.0.1", "dns:mock-cloud", "dns:mock-cloud.internal",
                "ip:10.1.2.3"), names(cert));
    }

    @Test
    void aNameThatIsNoHostNameIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArmCertificate.subjectAlternativeNames(List.of("mock cloud,dns:evil")));

        assertTrue(e.getMessage().contains("mock-cloud.arm.extra-host-names"), e.getMessage());
        assertTrue(e.getMessage().contains("mock cloud,dns:evil"), e.getMessage());
    }

    @Test
    void aRepeatedNameIsListedOnce() {
        assertEquals("SAN=ip:127.0.0.1,dns:localhost,dns:mock-cloud",
                ArmCertificate.subjectAlternativeNames(List.of("localhost", "mock-cloud", "MOCK-CLOUD", "127.0.0.1")));
    }

    static Set<String> names(ArmCertificate cert) throws Exception {
        X509Certificate x509;
        try (InputStream in = Files.newInputStream(cert.certificatePem())) {
            x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        Set<String> names = new HashSet<>();
        for (List<?> entry : x509.getSubjectAlternativeNames()) {
            int type = (Integer) entry.get(0);
            String prefix = type == DNS ? "dns:" : type == IP ? "ip:" : "other:";
            names.add(prefix + entry.get(1));
        }
        return names;
    }
}
