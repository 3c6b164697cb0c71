package io.crossjobs.cli.upload;

import io.crossjobs.cli.CliException;
import io.crossjobs.cli.pack.Packed;
import io.crossjobs.cli.pack.Packer;
import io.crossjobs.cli.task.LocalSource;
import io.crossjobs.cli.task.SourceRef;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stages a task's local sources through job-api: packs every one first (so that a source over the size limit, a
 * missing path or a workdir that is no folder stops the launch before anything is sent), then uploads each distinct
 * content once, and answers what each source becomes in the submitted task.
 */
public final class SourceStaging {
    private final Packer packer;
    private final Uploader uploader;
    private final PrintWriter err;

    public SourceStaging(Packer packer, Uploader uploader, PrintWriter err) {
        this.packer = packer;
        this.uploader = uploader;
        this.err = err;
    }

    public Map<LocalSource, SourceRef> stage(List<LocalSource> sources, Path cwd, Path home) {
        Map<LocalSource, Packed> packed = new LinkedHashMap<>();
        for (LocalSource s : sources) {
            Packed p = packer.pack(s.resolve(cwd, home), s.field());
            if (s.isWorkdir() && p.kind() != Packed.Kind.ARCHIVE) {
                throw new CliException(s.field() + ": " + s.written() + " is a file; the workdir must be a folder");
            }
            if (!packed.containsValue(p)) p.warnings().forEach(w -> err.println("crossjobs: warning: " + w));
            packed.put(s, p);
        }
        err.flush();
        Map<String, String> firstByDigest = new HashMap<>();
        Map<LocalSource, SourceRef> refs = new LinkedHashMap<>();
        packed.forEach((source, p) -> {
            String earlier = firstByDigest.putIfAbsent(p.digest(), source.field());
            if (earlier == null) uploader.upload(source.field(), p);
            else uploader.same(source.field(), p, earlier);
            refs.put(source, new SourceRef(p.kind().field(), p.digest()));
        });
        return refs;
    }
}
