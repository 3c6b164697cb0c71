package io.crossjobs.jobapi.service;

import io.crossjobs.jobapi.config.WebhookConfig;
import io.crossjobs.jobapi.model.FieldError;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a webhook's host and refuses loopback, private, link-local, unique-local, carrier-grade NAT,
 * multicast and unspecified addresses, unless {@code jobapi.webhooks.allow-private-hosts} (tests). Checked when
 * the webhook is registered and again before every delivery, since a name may point elsewhere later; the HTTP
 * client resolves once more when it connects, so a name that changes within that instant is not caught.
 */
@ApplicationScoped
public class WebhookTargets {
    /** Resolves a host name to all its addresses. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;
    private final Vertx vertx;

    @Inject
    public WebhookTargets(WebhookConfig config, Vertx vertx) {
        this(config.allowPrivateHosts(), InetAddress::getAllByName, vertx);
    }

    public WebhookTargets(boolean allowPrivate, Resolver resolver, Vertx vertx) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
        this.vertx = vertx;
    }

    /** The url's resolution problems as field errors, resolved off the event loop; empty when it is fine. */
    public Uni<List<FieldError>> check(String url) {
        if (allowPrivate || host(url).isEmpty()) return Uni.createFrom().item(List.of());
        return vertx.executeBlocking(Uni.createFrom().item(() -> refusal(url)
                .map(reason -> List.of(new FieldError("url", reason))).orElse(List.of())), false);
    }

    /** Why a delivery to {@code url} must not be made now, if it must not (blocking: resolves the name). */
    public Optional<String> refusal(String url) {
        if (allowPrivate) return Optional.empty();
        Optional<String> host = host(url);
        if (host.isEmpty()) return Optional.of("must name a host");
        try {
            for (InetAddress a : resolver.resolve(host.get())) {
                if (isNonPublic(a)) {
                    return Optional.of("resolves to a loopback, private or link-local address (" + a.getHostAddress() + ")");
                }
            }
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.of("names a host that does not resolve");
        }
    }

    public static boolean isNonPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xFE) == 0xFC) return true;                       // fc00::/7 unique local
            if (isV4Embedded(b)) return isNonPublic(v4(b));               // ::a.b.c.d, 64:ff9b::a.b.c.d
            return false;
        }
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        return first == 0                                                 // 0.0.0.0/8 "this network"
                || (first == 100 && second >= 64 && second <= 127)        // 100.64.0.0/10 carrier-grade NAT
                || (first == 198 && (second == 18 || second == 19))       // 198.18.0.0/15 benchmarking
                || first >= 240;                                          // reserved, broadcast
    }

    private static boolean isV4Embedded(byte[] b) {
        boolean compat = true;
        for (int i = 0; i < 12; i++) compat &= b[i] == 0;
        boolean nat64 = (b[0] & 0xFF) == 0x00 && (b[1] & 0xFF) == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B;
        for (int i = 4; i < 12 && nat64; i++) nat64 = b[i] == 0;
        return compat || nat64;
    }

    private static InetAddress v4(byte[] b) {
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> host(String url) {
        try {
            String host = url == null ? null : new URI(url).getHost();
            if (host == null || host.isBlank()) return Optional.empty();
            return Optional.of(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host);
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
