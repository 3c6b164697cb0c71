package io.crossjobs.mockcloud.objects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.objects.ObjectStoreException.Reason;
import io.crossjobs.mockcloud.sim.Cloud;

class ObjectStoreTest {
    private ObjectStore store;

    @BeforeEach
    void open() throws IOException {
        store = new ObjectStore(Files.createTempDirectory("objects-test-"), Clock.systemUTC(), true);
        store.createBucket(Cloud.GCP, "b", "us-central1");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private StoredObject put(String key, String content) throws IOException {
        return store.put(Cloud.GCP, "b", key, stage(content), ObjectAttributes.of("text/plain", Map.of()), null);
    }

    private StagedData stage(String content) throws IOException {
        return store.stage(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), Long.MAX_VALUE);
    }

    private static String read(ObjectReader r) throws IOException {
        try (r; InputStream in = r.stream(0, r.object().size())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void namespacesAreSeparateAndBytesLiveInFiles() throws IOException {
        put("k", "gcs bytes");
        assertTrue(store.bucket(Cloud.AWS, "b").isEmpty());
        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> store.head(Cloud.AWS, "b", "k"));
        assertEquals(Reason.NO_SUCH_BUCKET, e.reason());
        try (var files = Files.walk(store.root())) {
            assertTrue(files.filter(Files::isRegularFile).anyMatch(p -> {
                try {
                    return Files.readString(p).equals("gcs bytes");
                } catch (IOException ex) {
                    return false;
                }
            }));
        }
    }

    @Test
    void readerKeepsItsVersionAcrossOverwriteAndDelete() throws IOException {
        StoredObject first = put("k", "first");
        ObjectReader old = store.open(Cloud.GCP, "b", "k");
        StoredObject second = put("k", "second version");
        assertTrue(second.generation() > first.generation());
        store.delete(Cloud.GCP, "b", "k", null);
        assertEquals("first", read(old));
    }

    @Test
    void generationPreconditions() throws IOException {
        StagedData data = stage("x");
        StoredObject created = store.put(Cloud.GCP, "b", "k", data, ObjectAttributes.of(null, Map.of()), 0L);
        StagedData again = stage("y");
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.put(Cloud.GCP, "b", "k", again,
                ObjectAttributes.of(null, Map.of()), 0L));
        assertEquals(Reason.PRECONDITION_FAILED, e.reason());
        again.close();
        assertEquals(Reason.PRECONDITION_FAILED, assertThrows(ObjectStoreException.class,
                () -> store.delete(Cloud.GCP, "b", "k", created.generation() + 1)).reason());
        assertTrue(store.delete(Cloud.GCP, "b", "k", created.generation()));
    }

    @Test
    void appendGrowsTheObjectWithoutAWholeMd5() throws IOException {
        ObjectReader before;
        put("log", "one,");
        before = store.open(Cloud.GCP, "b", "log");
        StoredObject appended = store.append(Cloud.GCP, "b", "log", stage("two"), null, null);
        assertEquals(7, appended.size());
        assertNull(appended.md5());
        assertEquals("one,two", read(store.open(Cloud.GCP, "b", "log")));
        assertEquals("one,", read(before));
        assertEquals(Reason.NO_SUCH_OBJECT, assertThrows(ObjectStoreException.class,
                () -> store.append(Cloud.GCP, "b", "none", stage("x"), null, null)).reason());
    }

    @Test
    void limitsAndNotEmptyBuckets() throws IOException {
        store.limits(Cloud.GCP, new ObjectLimits(4, 3, 5));
        assertEquals(Reason.KEY_TOO_LONG, assertThrows(ObjectStoreException.class, () -> put("12345", "x")).reason());
        assertEquals(Reason.TOO_LARGE, assertThrows(ObjectStoreException.class, () -> put("k", "1234")).reason());
        StagedData a = stage("123");
        StagedData b = stage("123");
        StagedData both = store.concat(List.of(a, b));
        assertEquals(Reason.TOO_LARGE, assertThrows(ObjectStoreException.class, () -> store.put(Cloud.GCP, "b", "k",
                both, ObjectAttributes.of(null, Map.of()), null)).reason());
        put("k", "123");
        assertEquals(Reason.BUCKET_NOT_EMPTY, assertThrows(ObjectStoreException.class,
                () -> store.deleteBucket(Cloud.GCP, "b")).reason());
    }

    @Test
    void listsInUtf8OrderWithPrefixesAndPages() throws IOException {
        // U+FFFD sorts before U+1F600 in UTF-8 (and code point) order, after it in UTF-16 order
        List<String> keys = List.of("a/1", "a/2", "b", "c/x/1", "c/y", "\uFFFD", "\uD83D\uDE00");
        for (String k : keys) put(k, k);
        List<String> all = new ArrayList<>();
        String after = null;
        do {
            ListPage page = store.list(Cloud.GCP, "b", new ListQuery("", null, after, 2));
            page.objects().forEach(o -> all.add(o.key()));
            after = page.resumeAfter();
        } while (after != null);
        assertEquals(keys, all);

        ListPage first = store.list(Cloud.GCP, "b", new ListQuery("", "/", null, 1));
        assertEquals(List.of("a/"), first.commonPrefixes());
        ListPage second = store.list(Cloud.GCP, "b", new ListQuery("", "/", first.resumeAfter(), 10));
        assertEquals(List.of("b", "\uFFFD", "\uD83D\uDE00"), second.objects().stream().map(StoredObject::key).toList());
        assertEquals(List.of("c/"), second.commonPrefixes());
        ListPage inC = store.list(Cloud.GCP, "b", new ListQuery("c/", "/", null, 10));
        assertEquals(List.of("c/x/"), inC.commonPrefixes());
        assertEquals(List.of("c/y"), inC.objects().stream().map(StoredObject::key).toList());
    }

    @Test
    void resetForgetsEverythingAndRunsHooks() throws IOException {
        put("k", "x");
        boolean[] ran = {false};
        store.onReset(() -> ran[0] = true);
        store.reset();
        assertTrue(ran[0]);
        assertTrue(store.buckets(Cloud.GCP).isEmpty());
        assertArrayEquals(new Object[0], store.snapshot(Cloud.GCP).keySet().toArray());
        assertTrue(Files.isDirectory(store.root()));
        Path staging = store.newStagingFile().getParent();
        assertTrue(Files.isDirectory(staging));
    }
}
