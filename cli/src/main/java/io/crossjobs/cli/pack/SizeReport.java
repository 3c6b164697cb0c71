package io.crossjobs.cli.pack;

import io.crossjobs.cli.format.Sizes;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The refusal of a folder whose archive would pass the upload limit: what is big in it, and what to do. */
final class SizeReport {
    static final String RAISE = "Raise the limit with --max-upload-size or CROSSJOBS_MAX_UPLOAD_SIZE "
            + "(job-api refuses anything over its own jobapi.archives.max-bytes).";
    private static final int SHOWN = 5;

    static String overLimit(String what, Path folder, long maxBytes, FolderListing.Listing listing) {
        List<PackEntry> files = listing.entries().stream().filter(e -> e.kind() == PackEntry.Kind.FILE).toList();
        long total = files.stream().mapToLong(PackEntry::size).sum();
        Map<String, Long> folders = new HashMap<>();
        for (PackEntry f : files) {
            for (int slash = f.path().indexOf('/'); slash >= 0; slash = f.path().indexOf('/', slash + 1)) {
                folders.merge(f.path().substring(0, slash), f.size(), Long::sum);
            }
        }
        String biggestFolders = folders.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(SHOWN)
                .map(e -> e.getKey() + "/ (" + Sizes.human(e.getValue()) + ")")
                .collect(Collectors.joining(", "));
        String biggestFiles = files.stream()
                .sorted(Comparator.comparingLong(PackEntry::size).reversed().thenComparing(PackEntry::path))
                .limit(SHOWN)
                .map(e -> e.path() + " (" + Sizes.human(e.size()) + ")")
                .collect(Collectors.joining(", "));
        StringBuilder m = new StringBuilder()
                .append(what).append(": the archive of ").append(folder).append(" passes the upload limit of ")
                .append(Sizes.human(maxBytes)).append(" (its ").append(files.size()).append(" files hold ")
                .append(Sizes.human(total)).append(", ignore rules: ").append(listing.rulesUsed())
                .append("); nothing was uploaded.");
        if (!folders.isEmpty()) m.append("\n  largest folders: ").append(biggestFolders);
        if (!files.isEmpty()) m.append("\n  largest files: ").append(biggestFiles);
        m.append("\nLeave them out with a .skyignore in ").append(folder)
                .append(" (SkyPilot's syntax; it replaces .gitignore) or a .gitignore. ").append(RAISE);
        return m.toString();
    }

    private SizeReport() { }
}
