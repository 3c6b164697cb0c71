package io.crossjobs.jobapi.archive;

import io.crossjobs.events.FileMount;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.model.FieldError;
import io.crossjobs.jobapi.service.FileMountsMapper;
import io.crossjobs.jobapi.service.InvalidInputException;
import io.crossjobs.jobapi.service.ParsedJob;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Resolves the uploads a submission names by digest ({@link FileMountsMapper}) to the objects job-api holds, with
 * their sizes; a digest job-api does not hold refuses the submission, naming the field and the digest. Resolving
 * counts as a use, so retention keeps them.
 */
@ApplicationScoped
public class ArchiveRefs {
    private final ArchiveRepository archives;
    private final Clock clock = Clock.systemUTC();

    public ArchiveRefs(ArchiveRepository archives) {
        this.archives = archives;
    }

    public Uni<ParsedJob> resolve(ParsedJob job) {
        Set<String> digests = new LinkedHashSet<>();
        job.tasks().forEach(task -> task.fileMounts().stream().map(FileMount::uri).filter(ArchiveRefs::isDigest)
                .forEach(digests::add));
        if (digests.isEmpty()) return Uni.createFrom().item(job);
        return archives.find(digests).chain(found -> {
            Map<String, Archive> held = found.stream().collect(Collectors.toMap(Archive::digest, Function.identity()));
            List<FieldError> missing = new ArrayList<>();
            List<TaskSpec> tasks = job.tasks().stream().map(task -> withObjects(task, held, missing)).toList();
            if (!missing.isEmpty()) return Uni.createFrom().failure(new InvalidInputException(missing));
            return archives.touch(held.keySet(), clock.instant()).replaceWith(new ParsedJob(job.name(), tasks));
        });
    }

    private static TaskSpec withObjects(TaskSpec task, Map<String, Archive> held, List<FieldError> missing) {
        List<FileMount> mounts = new ArrayList<>();
        for (FileMount mount : task.fileMounts()) {
            if (!isDigest(mount.uri())) {
                mounts.add(mount);
                continue;
            }
            Archive archive = held.get(mount.uri());
            if (archive == null) {
                missing.add(new FieldError(FileMountsMapper.field(mount), mount.uri() + " is not held by job-api: "
                        + "upload it first with PUT /archives/" + mount.uri()));
                continue;
            }
            mounts.add(new FileMount(mount.target(), mount.source(), archive.objectUri(), archive.bytes()));
        }
        return task.withFileMounts(mounts);
    }

    private static boolean isDigest(String uri) {
        return FileMountsMapper.DIGEST.matcher(uri).matches();
    }
}
