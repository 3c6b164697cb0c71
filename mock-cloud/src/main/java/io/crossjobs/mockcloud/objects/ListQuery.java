package io.crossjobs.mockcloud.objects;

/**
 * One page of a listing in UTF-8 binary key order (the order S3, GCS and Azure Blob list in).
 *
 * @param prefix     only keys starting with it ("" for all)
 * @param delimiter  null or empty: flat; else keys with the delimiter after the prefix roll up into one common prefix
 * @param startAfter null, or list only keys (and common prefixes) after it in UTF-8 order
 * @param maxItems   keys plus common prefixes on the page, at least 1
 */
public record ListQuery(String prefix, String delimiter, String startAfter, int maxItems) {
    public ListQuery {
        if (prefix == null) prefix = "";
        if (delimiter != null && delimiter.isEmpty()) delimiter = null;
        if (maxItems < 1) throw new IllegalArgumentException("maxItems must be at least 1");
    }
}
