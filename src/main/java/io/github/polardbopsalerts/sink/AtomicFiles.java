package io.github.polardbopsalerts.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes files so a reader never sees half of one: whole files by rename, appended records by rollback. */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes to a temporary file beside the target, forces it to disk, then renames it over the target. */
    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                writeFully(ch, ByteBuffer.wrap(content));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Appends one line (a record ending in a newline) and forces it to disk; if the write fails part-way
     * (a full disk), the file is cut back to its previous length so no partial record remains. A partial
     * last line left by a crash (it never counted as written) is cut off first.
     */
    public static void append(Path target, byte[] record) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long before = endOfLastLine(ch);
            if (before < ch.size()) {
                ch.truncate(before);
            }
            ch.position(before);
            try {
                writeFully(ch, ByteBuffer.wrap(record));
                ch.force(false);
            } catch (IOException e) {
                try {
                    ch.truncate(before);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /** The length of the file up to and including its last newline. */
    static long endOfLastLine(FileChannel ch) throws IOException {
        long end = ch.size();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (end > 0) {
            long start = Math.max(0, end - buf.capacity());
            buf.clear().limit((int) (end - start));
            while (buf.hasRemaining() && ch.read(buf, start + buf.position()) >= 0) {
                // read until the window is full
            }
            for (int i = (int) (end - start) - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
