package io.crossjobs.cli.command;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code crossjobs wait ID... | --array ID}: blocks until the jobs end and exits with their outcome. */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {"Wait until managed jobs end: by ID, or every job of a job array (launch --num-jobs).",
                "Prints each job's end as it happens, then the count by status. Exits 0 when all SUCCEEDED, "
                        + "100 when one failed, 103 when one was cancelled (and none failed)."})
public final class WaitCommand extends ApiCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Parameters(paramLabel = "ID", arity = "1..*", description = "the jobs' IDs")
        List<String> ids;

        @Option(names = "--array", paramLabel = "ID", description = "every job of this job array (its first job's ID)")
        String array;
    }

    @Override
    public Integer call() {
        JobWaiter waiter = new JobWaiter(api(), out());
        return which.ids != null ? waiter.waitForIds(which.ids) : waiter.waitForArray(which.array);
    }
}
