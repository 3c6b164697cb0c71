package io.crossjobs.mockcloud.gce;

import java.time.Instant;

/**
 * A zone operation the GCE front end started (insert, delete). Its status is derived from the target VM when
 * read; an operation that failed inside carries Google's operation error code and the HTTP status it stands for.
 */
record GceOperation(String name, String id, String project, String zone, String type, String targetName,
                    String targetId, String vmId, Instant insertTime, String errorCode, String errorMessage,
                    int httpErrorStatus) {

    boolean failed() {
        return errorCode != null;
    }
}
