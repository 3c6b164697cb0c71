package io.crossjobs.jobapi.controller;

import io.crossjobs.jobapi.config.KeeperConfig;
import io.crossjobs.jobapi.service.ApiTokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The settings a controller VM starts with, handed out once per launch: the controller settings file (Kafka and
 * PostgreSQL addresses and credentials, tuning) plus the VM's identity. The token is spent by the first call, and
 * only a VM still launching or serving can spend it, so neither a copy of the user data nor a replay gets them.
 */
@ApplicationScoped
public class ControllerBootstrap {
    public static final String PATH = "/controller/bootstrap";
    private static final Logger LOG = Logger.getLogger(ControllerBootstrap.class);

    private final KeeperStore store;
    private final KeeperConfig config;
    private final Clock clock = Clock.systemUTC();

    public ControllerBootstrap(KeeperStore store, KeeperConfig config) {
        this.store = store;
        this.config = config;
    }

    /** The properties text for the token's VM, or empty when the token is unknown, spent or expired. */
    public Uni<Optional<String>> settings(String token) {
        if (token == null || token.isBlank()) return Uni.createFrom().item(Optional.empty());
        Instant now = clock.instant();
        return store.pool().withTransaction(c -> store.lockController(c).chain(controller ->
                store.spendToken(c, ApiTokens.hash(token), now).chain(vm -> {
                    if (vm.isEmpty() || controller.isEmpty()) {
                        LOG.warn("a controller bootstrap call with an unknown, spent or expired token was refused");
                        return Uni.createFrom().item(Optional.<String>empty());
                    }
                    String message = "controller VM " + vm.get().clusterName() + " fetched its settings";
                    LOG.infof("%s", message);
                    // a small local file, read once per VM launch
                    String text = render(controller.get(), vm.get());
                    return store.history(c, HistoryEntry.vm(now, ControllerKeeper.BOOTSTRAPPED, message, vm.get()))
                            .replaceWith(Optional.of(text));
                })));
    }

    private String render(ControllerRecord controller, ControllerVm vm) {
        Properties p = new Properties();
        config.controllerSettingsFile().ifPresent(file -> {
            try (Reader in = Files.newBufferedReader(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read crossjobs.keeper.controller-settings-file " + file, e);
            }
        });
        p.setProperty("crossjobs.controller.identity.id", controller.controllerId());
        p.setProperty("crossjobs.controller.identity.generation", Integer.toString(vm.generation()));
        p.setProperty("crossjobs.controller.identity.cluster", vm.clusterName());
        StringWriter out = new StringWriter();
        try {
            p.store(out, "crossjobs controller " + controller.controllerId() + ", VM " + vm.clusterName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
