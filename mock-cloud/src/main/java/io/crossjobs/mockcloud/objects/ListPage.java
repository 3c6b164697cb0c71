package io.crossjobs.mockcloud.objects;

import java.util.List;

/**
 * @param objects        the keys on this page, in order
 * @param commonPrefixes the rolled-up prefixes on this page, in order
 * @param resumeAfter    when truncated, the last key or common prefix of the page: pass it as the next
 *                       {@link ListQuery#startAfter()}; null when the listing is complete
 */
public record ListPage(List<StoredObject> objects, List<String> commonPrefixes, String resumeAfter) {
    public boolean truncated() {
        return resumeAfter != null;
    }
}
