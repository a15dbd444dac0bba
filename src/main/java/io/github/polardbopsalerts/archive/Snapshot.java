package io.github.polardbopsalerts.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.api.ActiveOperationTask;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * One snapshot being written: gzip JSON Lines to a temporary file as pages arrive (one API item a line,
 * with its Region), hashed on the way to disk, compared task by task with the previous snapshot's index.
 */
final class Snapshot implements AutoCloseable {

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final MessageDigest sha256;
    private final OutputStream out;
    private final GZIPOutputStream gzip;
    private final ObjectMapper mapper;
    private final SnapshotIndex previous;
    private final BitSet seenInPrevious = new BitSet();
    private long tasks;
    private long added;
    private long changed;
    private boolean closed;

    Snapshot(Path target, ObjectMapper mapper, SnapshotIndex previous) throws IOException {
        this.target = target;
        this.mapper = mapper;
        this.previous = previous;
        Files.createDirectories(target.getParent());
        this.temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.gzip = new GZIPOutputStream(new DigestOutputStream(Channels.newOutputStream(channel), sha256), 64 * 1024);
        this.out = new BufferedOutputStream(gzip, 64 * 1024);
    }

    /** Appends a page of tasks; called from the regions' threads. */
    synchronized void write(List<ActiveOperationTask> page) throws IOException {
        for (ActiveOperationTask task : page) {
            ObjectNode item = task.raw();
            if (task.text("Region") == null && task.polledRegion() != null && !"all".equals(task.polledRegion())) {
                item = item.deepCopy();
                item.put("Region", task.polledRegion());
            }
            byte[] line = mapper.writeValueAsBytes(item);
            out.write(line);
            out.write('\n');
            tasks++;
            compare(key(task), hash(line));
        }
    }

    private void compare(long key, long hash) {
        if (previous == null) {
            return;
        }
        int i = previous.find(key);
        if (i < 0) {
            added++;
        } else {
            seenInPrevious.set(i);
            if (previous.hashAt(i) != hash) {
                changed++;
            }
        }
    }

    /** Ends the gzip stream, forces it to disk and renames it into place; returns the SHA-256 of the file. */
    synchronized String commit() throws IOException {
        out.flush();
        gzip.finish();
        gzip.flush();
        channel.force(true);
        out.close();
        closed = true;
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return HexFormat.of().formatHex(sha256.digest());
    }

    long tasks() {
        return tasks;
    }

    long added() {
        return added;
    }

    long changed() {
        return changed;
    }

    /** Tasks of the previous snapshot this one did not contain. */
    long gone() {
        return previous == null ? 0 : previous.size() - seenInPrevious.cardinality();
    }

    boolean hasPrevious() {
        return previous != null;
    }

    long bytes() throws IOException {
        return Files.size(target);
    }

    /** The TaskId, or a stable 64-bit hash of the task key for an item without one. */
    static long key(ActiveOperationTask task) {
        Long id = task.taskId();
        return id != null ? id : hash(task.taskKey().getBytes(java.nio.charset.StandardCharsets.UTF_8)) | Long.MIN_VALUE;
    }

    static long hash(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return ByteBuffer.wrap(d).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            try {
                out.close();
            } catch (IOException e) {
                // Abandoned: the temporary file goes.
            }
            closed = true;
        }
        Files.deleteIfExists(temp);
    }
}
