package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.SecretText;
import io.crossjobs.cli.client.JobApi;
import io.crossjobs.cli.format.Sizes;
import io.crossjobs.cli.pack.Packer;
import io.crossjobs.cli.task.LocalSource;
import io.crossjobs.cli.task.Overrides;
import io.crossjobs.cli.task.SourceRef;
import io.crossjobs.cli.task.TaskFile;
import io.crossjobs.cli.upload.SourceStaging;
import io.crossjobs.cli.upload.Uploader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code crossjobs launch TASK.yaml}: SkyPilot's {@code sky jobs launch}. */
@Command(name = "launch", mixinStandardHelpOptions = true,
        description = {"Submit a task (or a pipeline: several --- documents) as a managed job.",
                "A local workdir and local file_mounts are packed (.skyignore, else .gitignore and "
                        + ".git/info/exclude, as SkyPilot) and uploaded to job-api first; unchanged ones are not sent again.",
                "Without --detach: shows its status changes and placement as they happen, follows its output to "
                        + "the end and exits with its outcome (0 SUCCEEDED, 100 failed, 103 cancelled)."})
public final class LaunchCommand extends ApiCommand implements Callable<Integer> {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Parameters(index = "0", paramLabel = "TASK.yaml", description = "SkyPilot task YAML")
    Path taskFile;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "the job's name (replaces the file's)")
    String name;

    @Option(names = "--env", paramLabel = "NAME[=VALUE]",
            description = "set an env var of every task, over the file's envs; NAME alone takes the value from "
                    + "this shell's environment (repeatable)")
    List<String> envs = new ArrayList<>();

    @Option(names = "--secret", paramLabel = "NAME[=VALUE]",
            description = "set a secret of every task, over the file's secrets: an env var of setup and run whose "
                    + "value job-api seals and never shows; NAME alone takes the value from this shell's environment, "
                    + "which keeps it out of your shell history and the process list (repeatable)")
    List<String> secrets = new ArrayList<>();

    @Option(names = {"-d", "--detach"}, description = "return once the job is submitted")
    boolean detach;

    @Option(names = "--num-jobs", paramLabel = "N", defaultValue = "1",
            description = "submit a job array: N jobs of the task in one request, each with SKYPILOT_JOB_RANK "
                    + "(0 to N-1) and SKYPILOT_NUM_JOBS (N) in its envs; without --detach, waits until all end "
                    + "(as wait --array)")
    int numJobs;

    @Option(names = "--keep-on-failure", paramLabel = "DURATION",
            description = "when a task fails, keep its cluster that long for debugging (e.g. 30m, 2h; at most 7d) "
                    + "before it is terminated, over the tasks' resources.keep_on_failure; end it early with down-hold")
    String keepOnFailure;

    @Option(names = "--max-upload-size", paramLabel = "SIZE",
            description = "the largest archive or file uploaded for workdir/file_mounts (e.g. 500MiB, 2GiB); default: "
                    + "$" + MAX_UPLOAD_ENV + ", else 1GiB")
    String maxUploadSize;

    static final String MAX_UPLOAD_ENV = "CROSSJOBS_MAX_UPLOAD_SIZE";
    private static final long DEFAULT_MAX_UPLOAD = 1L << 30;

    @Override
    public Integer call() {
        Overrides overrides = Overrides.none().withName(name)
                .withEnvs(flagValues("--env", envs, true))
                .withSecrets(flagValues("--secret", secrets, false));
        long maxUpload = maxUpload();
        if (numJobs < 1) throw new CliException("--num-jobs must be at least 1, got " + numJobs, 2);
        TaskFile file = TaskFile.read(taskFile);
        List<String> unset = file.unsetValues(overrides);
        if (!unset.isEmpty()) {
            throw new CliException(taskFile + ": job-api would refuse the task; nothing was sent:\n  "
                    + String.join("\n  ", unset));
        }
        JobApi api = api();
        Map<LocalSource, SourceRef> uploaded = Map.of();
        List<LocalSource> sources = file.localSources();
        if (!sources.isEmpty()) {
            Path tempDir = Path.of(System.getProperty("java.io.tmpdir"));
            try (Packer packer = new Packer(maxUpload, tempDir)) {
                uploaded = new SourceStaging(packer, new Uploader(api, out()), err())
                        .stage(sources, context().cwd(), context().home());
            }
        }
        TaskFile.Body body = file.body(overrides, uploaded);
        JsonNode job;
        try {
            job = api.submit(body.bytes(), body.contentType(), new JobApi.SubmitOptions(numJobs, keepOnFailure));
        } catch (CliException e) {
            throw withoutSecrets(e, overrides.secrets().values());
        }
        if (numJobs > 1) return array(api, job);
        String id = job.path("id").asText();
        int tasks = job.path("taskCount").asInt(1);
        out().println("[job " + id + "] submitted '" + job.path("name").asText() + "'"
                + (tasks > 1 ? " (pipeline of " + tasks + " tasks)" : "") + " to " + api.connection().url());
        out().flush();
        if (detach) {
            out().println("Follow it with: ./crossjobs logs -f " + id + "   Cancel it with: ./crossjobs cancel " + id);
            return 0;
        }
        JobFollower follower = new JobFollower(api, out(), id);
        Thread hint = new Thread(() -> {
            if (!follower.finished()) {
                System.err.println("\ncrossjobs: stopped watching; job " + id + " keeps running. "
                        + "./crossjobs logs -f " + id + " follows it again, ./crossjobs cancel " + id + " stops it.");
            }
        });
        Runtime.getRuntime().addShutdownHook(hint);
        try {
            return JobFollower.outcome(follower.followToEnd(), out());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hint);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook says why
            }
        }
    }

    /** A job array was submitted: says which jobs it made, then waits for them unless detached. */
    private int array(JobApi api, JsonNode answer) {
        String arrayId = answer.path("arrayId").asText();
        JsonNode jobs = answer.path("jobs");
        String first = jobs.get(0).path("id").asText();
        String last = jobs.get(jobs.size() - 1).path("id").asText();
        out().println("[array " + arrayId + "] submitted " + jobs.size() + " jobs of '"
                + jobs.get(0).path("name").asText() + "' (jobs " + first + " to " + last + ") to "
                + api.connection().url());
        out().flush();
        if (detach) {
            out().println("Wait for them with: ./crossjobs wait --array " + arrayId
                    + "   List them: ./crossjobs queue --array " + arrayId
                    + "   Cancel them: ./crossjobs cancel --array " + arrayId);
            return 0;
        }
        return new JobWaiter(api, out()).waitForArray(arrayId);
    }

    private long maxUpload() {
        String flag = maxUploadSize != null ? maxUploadSize : context().env().get(MAX_UPLOAD_ENV);
        if (flag == null || flag.isBlank()) return DEFAULT_MAX_UPLOAD;
        String from = maxUploadSize != null ? "--max-upload-size" : MAX_UPLOAD_ENV;
        try {
            long bytes = Sizes.parse(flag);
            if (bytes <= 0) throw new IllegalArgumentException("it must be more than 0");
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new CliException(from + ": " + e.getMessage(), 2);
        }
    }

    /**
     * {@code NAME=VALUE} or {@code NAME} (the value of this shell's variable NAME) of each flag, as SkyPilot's
     * {@code --env} and {@code --secret} read them (sky/client/cli/flags.py, {@code _parse_env_var} and
     * {@code _parse_secret_var}: split at the first '='). A secret's value is never part of a message.
     */
    private Map<String, String> flagValues(String flag, List<String> given, boolean showValues) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String e : given) {
            int eq = e.indexOf('=');
            String key = eq < 0 ? e : e.substring(0, eq);
            if (!ENV_NAME.matcher(key).matches()) {
                throw new CliException(flag + " " + (showValues ? e : key) + ": '" + key
                        + "' is not an environment variable name", 2);
            }
            String value = eq < 0 ? context().env().get(key) : e.substring(eq + 1);
            if (value == null) {
                throw new CliException(flag + " " + key + ": " + key + " is not set in this shell; use " + flag + " "
                        + key + "=VALUE", 2);
            }
            result.put(key, value);
        }
        return result;
    }

    /** {@code e} with every secret value in its message replaced, should job-api's answer have quoted one. */
    private static CliException withoutSecrets(CliException e, Collection<String> values) {
        String message = SecretText.redact(e.getMessage(), values);
        return message.equals(e.getMessage()) ? e : new CliException(message, e.exitCode());
    }
}
