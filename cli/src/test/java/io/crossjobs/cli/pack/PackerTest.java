package io.crossjobs.cli.pack;

import io.crossjobs.cli.CliException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Archives that depend on content only, their digests, and the size limit. */
class PackerTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path tmp;

    private Path project(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Trees.write(dir, Map.of("run.sh", "#!/bin/sh\necho hi\n", "src/main.py", "print('hi')\n",
                "src/pkg/util.py", "X = 1\n", "empty/", "",
                "a-very-long-folder-name-to-pass-the-hundred-characters-of-a-plain-tar-header/and-a-file-name-as-long-as-that.txt",
                "long\n"));
        Files.setPosixFilePermissions(dir.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(dir.resolve("src/main.py"), PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(dir.resolve("latest"), Path.of("src/main.py"));
        return dir;
    }

    private Packed pack(Path source) {
        try (Packer packer = new Packer(GIB, tmp.resolve("out"))) {
            Packed p = packer.pack(source, "workdir");
            // keep the bytes past close(), which deletes the archive
            Path copy = tmp.resolve("copy-" + p.digest().substring(7, 19) + "-" + System.nanoTime());
            try {
                Files.copy(p.bytes(), copy);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return new Packed(p.kind(), p.source(), copy, p.digest(), p.size(), p.warnings());
        }
    }

    @Test
    void theSameContentPacksToTheSameDigestWhereverAndWheneverItIs() throws Exception {
        Path a = project("a");
        Path b = project("b");
        Files.setLastModifiedTime(b.resolve("src/main.py"), FileTime.fromMillis(1_000_000_000_000L));

        Packed first = pack(a);
        Packed again = pack(a);
        Packed elsewhere = pack(b);

        assertEquals(Packed.Kind.ARCHIVE, first.kind());
        assertTrue(first.digest().matches("sha256:[0-9a-f]{64}"), first.digest());
        assertEquals(first.digest(), again.digest());
        assertEquals(first.digest(), elsewhere.digest());
        assertEquals(first.digest(), sha256(first.bytes()), "the digest is of the bytes to upload");
        assertEquals(Files.size(first.bytes()), first.size());
    }

    @Test
    void aChangedFileModeOrNewFileChangesTheDigest() throws Exception {
        Path a = project("a");
        String before = pack(a).digest();

        Files.writeString(a.resolve("src/main.py"), "print('bye')\n");
        String edited = pack(a).digest();
        Files.setPosixFilePermissions(a.resolve("src/pkg/util.py"), PosixFilePermissions.fromString("rwx------"));
        String chmodded = pack(a).digest();
        Files.createDirectories(a.resolve("new-empty-folder"));
        String withFolder = pack(a).digest();

        assertEquals(4, List.of(before, edited, chmodded, withFolder).stream().distinct().count());
    }

    @Test
    void entriesAreSortedWithFixedOwnerTimeAndModesFoldersIncludedLinksKept() throws Exception {
        Packed p = pack(project("a"));

        byte[] gz = Files.readAllBytes(p.bytes());
        // gzip header: no flags (so no file name), mtime 0
        assertEquals(0, gz[3]);
        assertArrayEquals(new byte[4], new byte[]{gz[4], gz[5], gz[6], gz[7]});
        List<String> seen = new ArrayList<>();
        try (InputStream in = Files.newInputStream(p.bytes());
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                seen.add(e.getName() + " " + Integer.toOctalString(e.getMode())
                        + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
                assertEquals(0, e.getLastModifiedDate().getTime(), e.getName());
                assertEquals(0, e.getLongUserId());
                assertEquals(0, e.getLongGroupId());
                assertEquals("", e.getUserName());
                assertEquals("", e.getGroupName());
                if (e.getName().equals("src/main.py")) {
                    assertEquals("print('hi')\n", new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(List.of(
                "a-very-long-folder-name-to-pass-the-hundred-characters-of-a-plain-tar-header/ 40755",
                "a-very-long-folder-name-to-pass-the-hundred-characters-of-a-plain-tar-header/and-a-file-name-as-long-as-that.txt 100644",
                "empty/ 40755",
                "latest 120777 -> src/main.py",
                "run.sh 100755",
                "src/ 40755",
                "src/main.py 100644",
                "src/pkg/ 40755",
                "src/pkg/util.py 100644"), seen);
    }

    @Test
    void aFileIsUploadedAsItIsUnderItsOwnDigest() throws Exception {
        Path file = tmp.resolve("vimrc");
        Files.writeString(file, "set nu\n");
        try (Packer packer = new Packer(GIB, tmp.resolve("out"))) {
            Packed p = packer.pack(file, "file_mounts.~/.vimrc");
            assertEquals(Packed.Kind.FILE, p.kind());
            assertEquals(file.toRealPath(), p.bytes());
            assertEquals(sha256(file), p.digest());
            assertEquals(7, p.size());
        }
    }

    @Test
    void overTheLimitNothingIsKeptAndTheLargestFilesAndFoldersAreNamed() throws Exception {
        Path dir = project("big");
        Random random = new Random(7);
        byte[] noise = new byte[300_000];
        random.nextBytes(noise);
        Files.createDirectories(dir.resolve("data/raw"));
        Files.write(dir.resolve("data/raw/huge.bin"), noise);
        Files.write(dir.resolve("data/small.bin"), new byte[]{1, 2, 3});
        Files.write(dir.resolve("model.pt"), java.util.Arrays.copyOf(noise, 100_000));
        Path out = tmp.resolve("out");

        CliException e;
        try (Packer packer = new Packer(200_000, out)) {
            e = assertThrows(CliException.class, () -> packer.pack(dir, "workdir"));
        }

        String m = e.getMessage();
        assertTrue(m.startsWith("workdir: the archive of " + dir + " passes the upload limit of 195.3 KiB"), m);
        assertTrue(m.contains("nothing was uploaded"), m);
        assertTrue(m.contains("largest folders: data/ (293.0 KiB), data/raw/ (293.0 KiB), src/ (18 B)"), m);
        assertTrue(m.contains("largest files: data/raw/huge.bin (293.0 KiB), model.pt (97.7 KiB)"), m);
        assertTrue(m.contains(".skyignore") && m.contains("--max-upload-size") && m.contains("CROSSJOBS_MAX_UPLOAD_SIZE"), m);
        try (var left = Files.list(out)) {
            assertEquals(0, left.count(), "the partial archive is deleted");
        }
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        Path file = tmp.resolve("weights.bin");
        Files.write(file, new byte[5000]);
        try (Packer packer = new Packer(4096, tmp.resolve("out"))) {
            CliException e = assertThrows(CliException.class, () -> packer.pack(file, "file_mounts./w"));
            assertTrue(e.getMessage().startsWith("file_mounts./w: " + file + " is 4.9 KiB, over the upload limit of 4.0 KiB"),
                    e.getMessage());
        }
    }

    @Test
    void aMissingSourceIsNamed() {
        try (Packer packer = new Packer(GIB, tmp.resolve("out"))) {
            CliException e = assertThrows(CliException.class, () -> packer.pack(tmp.resolve("nope"), "workdir"));
            assertEquals("workdir: " + tmp.resolve("nope") + " does not exist", e.getMessage());
        }
    }

    @Test
    void closingDeletesTheArchives() throws Exception {
        Path archive;
        try (Packer packer = new Packer(GIB, tmp.resolve("out"))) {
            archive = packer.pack(project("a"), "workdir").bytes();
            assertTrue(Files.exists(archive));
        }
        assertTrue(Files.notExists(archive));
        assertNotEquals(null, archive);
    }

    private static String sha256(Path file) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
