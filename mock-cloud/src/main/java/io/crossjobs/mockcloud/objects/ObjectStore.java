package io.crossjobs.mockcloud.objects;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.crossjobs.mockcloud.objects.ObjectStoreException.Reason;
import io.crossjobs.mockcloud.sim.Cloud;

/**
 * Cloud-agnostic object storage: per-cloud namespaces of buckets holding objects whose bytes live in files under
 * {@code root}, never on the heap. Thread-safe: metadata changes happen under the store's lock, byte copying
 * (staging) outside it. Each write goes to a new file and replaces the entry, so readers that opened an older
 * version keep reading it.
 */
public final class ObjectStore implements AutoCloseable {
    private static final int COPY_BUFFER = 64 * 1024;

    private final Path root;
    private final Path staging;
    private final Clock clock;
    private final boolean deleteOnClose;
    private final Map<Cloud, ObjectLimits> limits = new EnumMap<>(Cloud.class);
    private final Map<Cloud, NavigableMap<String, BucketEntry>> buckets = new EnumMap<>(Cloud.class);
    private final List<Runnable> resetHooks = new CopyOnWriteArrayList<>();
    private final AtomicLong fileCounter = new AtomicLong();
    private long lastGeneration;

    private record Entry(StoredObject object, Path file) { }

    private static final class BucketEntry {
        final Bucket bucket;
        final Path dir;
        final NavigableMap<String, Entry> objects = new TreeMap<>(Utf8Order.COMPARATOR);

        BucketEntry(Bucket bucket, Path dir) {
            this.bucket = bucket;
            this.dir = dir;
        }
    }

    /**
     * @param root          directory for the objects' files (created if missing; what is in it is not read back)
     * @param deleteOnClose remove {@code root} on {@link #close()} (a temp dir)
     */
    public ObjectStore(Path root, Clock clock, boolean deleteOnClose) {
        this.root = root;
        this.staging = root.resolve("staging");
        this.clock = clock;
        this.deleteOnClose = deleteOnClose;
        for (Cloud c : Cloud.values()) {
            buckets.put(c, new TreeMap<>(Utf8Order.COMPARATOR));
            // generous until a front end sets its cloud's figures
            limits.put(c, new ObjectLimits(1024, Long.MAX_VALUE, Long.MAX_VALUE));
        }
        try {
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + staging, e);
        }
    }

    public Path root() {
        return root;
    }

    /** A front end sets its cloud's limits at start. */
    public synchronized void limits(Cloud cloud, ObjectLimits cloudLimits) {
        limits.put(cloud, cloudLimits);
    }

    public synchronized ObjectLimits limits(Cloud cloud) {
        return limits.get(cloud);
    }

    /** Called by {@link #reset()} after the store is emptied: front ends drop their own upload state there. */
    public void onReset(Runnable hook) {
        resetHooks.add(hook);
    }

    // ---- buckets

    public synchronized Bucket createBucket(Cloud cloud, String name, String location) {
        NavigableMap<String, BucketEntry> ns = buckets.get(cloud);
        if (ns.containsKey(name)) {
            throw new ObjectStoreException(Reason.BUCKET_EXISTS, "bucket " + name + " exists");
        }
        Path dir = root.resolve(cloud.id()).resolve("b" + fileCounter.incrementAndGet());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Bucket bucket = new Bucket(cloud, name, location, clock.instant());
        ns.put(name, new BucketEntry(bucket, dir));
        return bucket;
    }

    public synchronized Optional<Bucket> bucket(Cloud cloud, String name) {
        return Optional.ofNullable(buckets.get(cloud).get(name)).map(b -> b.bucket);
    }

    public synchronized List<Bucket> buckets(Cloud cloud) {
        return buckets.get(cloud).values().stream().map(b -> b.bucket).toList();
    }

    /** Refused while the bucket holds any object. */
    public synchronized void deleteBucket(Cloud cloud, String name) {
        BucketEntry b = bucketEntry(cloud, name);
        if (!b.objects.isEmpty()) {
            throw new ObjectStoreException(Reason.BUCKET_NOT_EMPTY, "bucket " + name + " is not empty");
        }
        buckets.get(cloud).remove(name);
        deleteTree(b.dir);
    }

    // ---- staging

    /**
     * Copies {@code in} into a staged file, hashing it on the way.
     *
     * @param maxBytes more than this many bytes is refused with {@link Reason#TOO_LARGE} (the rest is not read)
     */
    public StagedData stage(InputStream in, long maxBytes) throws IOException {
        Path file = newStagingFile();
        MessageDigest md5 = md5();
        long size = 0;
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[COPY_BUFFER];
            int n;
            while ((n = in.read(buf)) >= 0) {
                size += n;
                if (size > maxBytes) {
                    throw new ObjectStoreException(Reason.TOO_LARGE, "more than " + maxBytes + " bytes");
                }
                md5.update(buf, 0, n);
                out.write(buf, 0, n);
            }
            ok = true;
        } finally {
            if (!ok) Files.deleteIfExists(file);
        }
        return new StagedData(file, size, md5.digest(), false);
    }

    /** Staged data made of {@code parts} one after the other (S3 multipart, GCS compose, Azure block lists). */
    public StagedData concat(List<StagedData> parts) throws IOException {
        Path file = newStagingFile();
        MessageDigest md5 = md5();
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (StagedData part : parts) {
                try (InputStream in = new DigestInputStream(Files.newInputStream(part.file()), md5)) {
                    size += in.transferTo(out);
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new StagedData(file, size, md5.digest(), true);
    }

    /** A fresh file name in the staging directory, for an HTTP layer that writes a raw body there first. */
    public Path newStagingFile() {
        return staging.resolve("s" + fileCounter.incrementAndGet());
    }

    // ---- objects

    /**
     * Stores {@code data} as the new version of {@code key}, taking over its file.
     *
     * @param ifGeneration null: unconditional; 0: only if the key does not exist; else only if it is the current
     *                     generation ({@link Reason#PRECONDITION_FAILED} otherwise)
     */
    public StoredObject put(Cloud cloud, String bucket, String key, StagedData data, ObjectAttributes attributes,
                            Long ifGeneration) {
        Path target;
        StoredObject stored;
        Entry old;
        synchronized (this) {
            checkKey(cloud, key);
            checkSize(cloud, data.size(), data.composed());
            BucketEntry b = bucketEntry(cloud, bucket);
            old = b.objects.get(key);
            checkGeneration(old, ifGeneration);
            target = b.dir.resolve("o" + fileCounter.incrementAndGet());
            move(data.file(), target);
            data.consumed();
            Instant now = clock.instant();
            stored = new StoredObject(bucket, key, data.size(), attributes.contentType(), attributes.userMetadata(),
                    data.md5(), attributes.etag() == null ? data.md5Hex() : attributes.etag(), nextGeneration(),
                    now, now, attributes.properties());
            b.objects.put(key, new Entry(stored, target));
        }
        if (old != null) deleteQuietly(old.file());
        return stored;
    }

    /**
     * Adds {@code data} to the end of an existing object (Azure append blobs). The new version has no whole-object
     * MD5; its ETag is the one given, or a fresh one derived from the generation.
     */
    public StoredObject append(Cloud cloud, String bucket, String key, StagedData data, String etag,
                               Long ifGeneration) {
        return append(cloud, bucket, key, data, etag, ifGeneration, null);
    }

    /**
     * As {@link #append(Cloud, String, String, StagedData, String, Long)}, and the new version carries
     * {@code properties} (null keeps the old ones): a front end's per-object state that changes with each append,
     * such as an Azure append blob's committed block count.
     */
    public StoredObject append(Cloud cloud, String bucket, String key, StagedData data, String etag,
                               Long ifGeneration, Map<String, String> properties) {
        try (data) {
            synchronized (this) {
                BucketEntry b = bucketEntry(cloud, bucket);
                Entry old = b.objects.get(key);
                if (old == null) throw new ObjectStoreException(Reason.NO_SUCH_OBJECT, "no object " + key);
                checkGeneration(old, ifGeneration);
                checkSize(cloud, data.size(), false);
                if (old.object().size() + data.size() > limits.get(cloud).maxObjectBytes()) {
                    throw new ObjectStoreException(Reason.TOO_LARGE, "appending " + data.size() + " bytes to "
                            + old.object().size() + " exceeds " + limits.get(cloud).maxObjectBytes());
                }
                try (FileChannel out = FileChannel.open(old.file(), StandardOpenOption.WRITE);
                     FileChannel in = FileChannel.open(data.file(), StandardOpenOption.READ)) {
                    long pos = old.object().size();
                    long done = 0;
                    while (done < data.size()) {
                        done += in.transferTo(done, data.size() - done, out.position(pos + done));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                StoredObject o = old.object();
                long generation = nextGeneration();
                StoredObject stored = new StoredObject(bucket, key, o.size() + data.size(), o.contentType(),
                        o.userMetadata(), null, etag == null ? Long.toHexString(generation) : etag, generation,
                        o.created(), clock.instant(), properties == null ? o.properties() : properties);
                b.objects.put(key, new Entry(stored, old.file()));
                return stored;
            }
        }
    }

    /** The current version, empty when the key does not exist; {@link Reason#NO_SUCH_BUCKET} without the bucket. */
    public synchronized Optional<StoredObject> head(Cloud cloud, String bucket, String key) {
        return Optional.ofNullable(bucketEntry(cloud, bucket).objects.get(key)).map(Entry::object);
    }

    /** Opens the current version for reading; close the reader. */
    public synchronized ObjectReader open(Cloud cloud, String bucket, String key) {
        Entry e = bucketEntry(cloud, bucket).objects.get(key);
        if (e == null) throw new ObjectStoreException(Reason.NO_SUCH_OBJECT, "no object " + key);
        try {
            return new ObjectReader(e.object(), FileChannel.open(e.file(), StandardOpenOption.READ));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return whether the key existed */
    public boolean delete(Cloud cloud, String bucket, String key, Long ifGeneration) {
        Entry old;
        synchronized (this) {
            BucketEntry b = bucketEntry(cloud, bucket);
            old = b.objects.get(key);
            checkGeneration(old, ifGeneration);
            if (old == null) return false;
            b.objects.remove(key);
        }
        deleteQuietly(old.file());
        return true;
    }

    public synchronized ListPage list(Cloud cloud, String bucket, ListQuery query) {
        BucketEntry b = bucketEntry(cloud, bucket);
        String from = query.startAfter() != null && Utf8Order.compare(query.startAfter(), query.prefix()) > 0
                ? query.startAfter() : query.prefix();
        boolean inclusive = !from.equals(query.startAfter());
        List<StoredObject> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        for (Entry e : b.objects.tailMap(from, inclusive).values()) {
            String key = e.object().key();
            if (!key.startsWith(query.prefix())) break;
            String common = commonPrefix(key, query);
            if (common != null) {
                // a prefix rolled up on an earlier page (or equal to startAfter) is not repeated
                if (common.equals(last) || (query.startAfter() != null
                        && Utf8Order.compare(common, query.startAfter()) <= 0)) {
                    continue;
                }
            }
            if (objects.size() + prefixes.size() == query.maxItems()) {
                return new ListPage(objects, prefixes, last);
            }
            if (common != null) {
                prefixes.add(common);
                last = common;
            } else {
                objects.add(e.object());
                last = key;
            }
        }
        return new ListPage(objects, prefixes, null);
    }

    private static String commonPrefix(String key, ListQuery query) {
        if (query.delimiter() == null) return null;
        int at = key.indexOf(query.delimiter(), query.prefix().length());
        return at < 0 ? null : key.substring(0, at + query.delimiter().length());
    }

    /** Every bucket and object of one cloud, for the admin API. */
    public synchronized Map<Bucket, List<StoredObject>> snapshot(Cloud cloud) {
        Map<Bucket, List<StoredObject>> out = new HashMap<>();
        for (BucketEntry b : buckets.get(cloud).values()) {
            out.put(b.bucket, b.objects.values().stream().map(Entry::object).toList());
        }
        return out;
    }

    /** Forgets every bucket and object of every cloud, then runs the reset hooks. */
    public void reset() {
        synchronized (this) {
            for (NavigableMap<String, BucketEntry> ns : buckets.values()) {
                ns.values().forEach(b -> deleteTree(b.dir));
                ns.clear();
            }
        }
        resetHooks.forEach(Runnable::run);
    }

    @Override
    public void close() {
        if (deleteOnClose) deleteTree(root);
    }

    // ---- helpers

    private BucketEntry bucketEntry(Cloud cloud, String name) {
        BucketEntry b = buckets.get(cloud).get(name);
        if (b == null) throw new ObjectStoreException(Reason.NO_SUCH_BUCKET, "no bucket " + name);
        return b;
    }

    private void checkKey(Cloud cloud, String key) {
        if (key == null || key.isEmpty()) throw new ObjectStoreException(Reason.INVALID_KEY, "empty key");
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.get(cloud).maxKeyBytes()) {
            throw new ObjectStoreException(Reason.KEY_TOO_LONG, "key of " + bytes + " bytes, at most "
                    + limits.get(cloud).maxKeyBytes());
        }
    }

    private void checkSize(Cloud cloud, long size, boolean composed) {
        long max = composed ? limits.get(cloud).maxObjectBytes() : limits.get(cloud).maxSingleWriteBytes();
        if (size > max) throw new ObjectStoreException(Reason.TOO_LARGE, size + " bytes, at most " + max);
    }

    private static void checkGeneration(Entry current, Long ifGeneration) {
        if (ifGeneration == null) return;
        long actual = current == null ? 0 : current.object().generation();
        if (actual != ifGeneration) {
            throw new ObjectStoreException(Reason.PRECONDITION_FAILED, "generation is " + actual + ", not "
                    + ifGeneration);
        }
    }

    /** Increasing; microseconds since the epoch when the clock allows it, like GCS generations. */
    private long nextGeneration() {
        Instant now = clock.instant();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        lastGeneration = Math.max(lastGeneration + 1, micros);
        return lastGeneration;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // an orphaned file in the state dir costs disk only
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(ObjectStore::deleteQuietly);
        } catch (IOException ignored) {
            // as above
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
