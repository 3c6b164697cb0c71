package io.crossjobs.jobapi.service;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookTargetsTest {

    @Test
    void nonPublicAddressesAreRecognised() throws Exception {
        for (String a : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "169.254.169.254", "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "::",
                "fe80::1", "fd00::1", "fc12::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe")) {
            assertTrue(WebhookTargets.isNonPublic(InetAddress.getByName(a)), a);
        }
        for (String a : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:2800:220:1::1")) {
            assertFalse(WebhookTargets.isNonPublic(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void aPublicNameThatResolvesInsideIsRefused() {
        Map<String, String> dns = Map.of("public.example", "93.184.216.34", "rebound.example", "169.254.169.254");
        WebhookTargets.Resolver resolver = host -> {
            String ip = dns.get(host);
            if (ip == null) throw new UnknownHostException(host);
            return new InetAddress[] {InetAddress.getByName(ip)};
        };
        WebhookTargets targets = new WebhookTargets(false, resolver, null);

        assertEquals(Optional.empty(), targets.refusal("https://public.example/hook"));
        assertTrue(targets.refusal("https://rebound.example/hook").orElseThrow().contains("169.254.169.254"));
        assertTrue(targets.refusal("https://nowhere.example/hook").orElseThrow().contains("does not resolve"));
        assertTrue(targets.refusal("http://[::1]:8080/x").isPresent());

        WebhookTargets allowing = new WebhookTargets(true, resolver, null);
        assertEquals(Optional.empty(), allowing.refusal("https://rebound.example/hook"));
    }
}
