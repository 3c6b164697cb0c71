package io.crossjobs.mockcloud.blob;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.crossjobs.mockcloud.ec2.XmlWriter;
import io.crossjobs.mockcloud.objects.ListPage;
import io.crossjobs.mockcloud.objects.ListQuery;
import io.crossjobs.mockcloud.objects.ObjectStore;
import io.crossjobs.mockcloud.objects.ObjectStoreException;
import io.crossjobs.mockcloud.objects.StoredObject;
import io.crossjobs.mockcloud.sim.Cloud;

/**
 * List Blobs (learn.microsoft.com/rest/api/storageservices/list-blobs): {@code prefix}, {@code delimiter},
 * {@code marker}, {@code maxresults} (at most 5,000 a page; a larger value returns 5,000); the answer is an
 * {@code EnumerationResults} document whose {@code NextMarker} continues the listing. The marker is opaque to
 * clients, as Azure's is.
 */
final class BlobListing {
    static final int MAX_RESULTS = 5000;
    private static final String MARKER_PREFIX = "cj1!";

    private final ObjectStore store;
    private final BlobConfig config;

    BlobListing(ObjectStore store, BlobConfig config) {
        this.store = store;
        this.config = config;
    }

    BlobResponse list(BlobRequest r, String container) {
        String prefix = r.param("prefix");
        String delimiter = r.param("delimiter");
        String marker = r.param("marker");
        int max = maxResults(r.param("maxresults"));
        ListPage page;
        try {
            page = store.list(Cloud.AZURE, container, new ListQuery(prefix, delimiter,
                    marker == null || marker.isEmpty() ? null : afterMarker(marker), max));
        } catch (ObjectStoreException e) {
            throw BlobError.containerNotFound();
        }
        StringBuilder root = new StringBuilder("<EnumerationResults ServiceEndpoint=\"")
                .append(XmlWriter.escape("http://" + r.header("Host") + "/" + config.accountName() + "/"))
                .append("\" ContainerName=\"").append(XmlWriter.escape(container)).append("\">");
        XmlWriter w = new XmlWriter();
        w.leaf("Prefix", prefix).leaf("Marker", marker).leaf("MaxResults", r.param("maxresults") == null ? null : max)
                .leaf("Delimiter", delimiter).open("Blobs");
        for (StoredObject o : page.objects()) {
            w.open("Blob").leaf("Name", o.key()).open("Properties")
                    .leaf("Creation-Time", BlobApi.httpDate(o.created()))
                    .leaf("Last-Modified", BlobApi.httpDate(o.updated()))
                    .leaf("Etag", BlobApi.etag(o).replace("\"", ""))
                    .leaf("Content-Length", o.size())
                    .leaf("Content-Type", o.contentType())
                    .leaf("BlobType", o.properties().getOrDefault(BlobApi.BLOB_TYPE, BlobApi.APPEND_BLOB))
                    .leaf("LeaseStatus", "unlocked").leaf("LeaseState", "available")
                    .leaf("ServerEncrypted", "true")
                    .close("Properties").empty("OrMetadata").close("Blob");
        }
        for (String p : page.commonPrefixes()) w.open("BlobPrefix").leaf("Name", p).close("BlobPrefix");
        w.close("Blobs");
        if (page.truncated()) w.leaf("NextMarker", marker(page.resumeAfter()));
        else w.empty("NextMarker");
        String body = w.toString();
        String declaration = body.substring(0, body.indexOf('\n') + 1);
        return BlobResponse.xml(200, declaration + root + body.substring(declaration.length())
                + "</EnumerationResults>");
    }

    private static int maxResults(String value) {
        if (value == null) return MAX_RESULTS;
        try {
            int n = Integer.parseInt(value);
            if (n < 1) throw BlobError.invalidQuery("maxresults", value, "must be at least 1");
            return Math.min(n, MAX_RESULTS);
        } catch (NumberFormatException e) {
            throw BlobError.invalidQuery("maxresults", value, "not a number");
        }
    }

    private static String marker(String resumeAfter) {
        return MARKER_PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(resumeAfter.getBytes(StandardCharsets.UTF_8));
    }

    private static String afterMarker(String marker) {
        try {
            if (!marker.startsWith(MARKER_PREFIX)) throw new IllegalArgumentException(marker);
            return new String(Base64.getUrlDecoder().decode(marker.substring(MARKER_PREFIX.length())),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw BlobError.invalidQuery("marker", marker, "not a marker this listing returned");
        }
    }
}
