package io.crossjobs.mockcloud.objects;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.crossjobs.mockcloud.MockCloudConfig;

/**
 * The one object store all storage front ends share: {@code <state-dir>/objects} (emptied at start: objects do not
 * survive a restart), or a temp dir removed on shutdown when no state dir is set.
 */
@Singleton
public class ObjectStoreBeans {
    private static final Logger LOG = Logger.getLogger(ObjectStoreBeans.class);

    @Produces
    @Singleton
    ObjectStore objectStore(MockCloudConfig config) {
        try {
            ObjectStore store;
            if (config.stateDir().isPresent() && !config.stateDir().get().isBlank()) {
                Path dir = Path.of(config.stateDir().get()).toAbsolutePath().resolve("objects");
                new ObjectStore(dir, Clock.systemUTC(), true).close();
                store = new ObjectStore(dir, Clock.systemUTC(), false);
            } else {
                store = new ObjectStore(Files.createTempDirectory("mock-cloud-objects-"), Clock.systemUTC(), true);
            }
            LOG.infof("object storage keeps its bytes under %s", store.root());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the object store's directory", e);
        }
    }

    void close(@Disposes ObjectStore store) {
        store.close();
    }
}
