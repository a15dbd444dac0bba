package io.github.polardbopsalerts.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.api.ActiveOperationTask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * One snapshot being written as pages arrive: each region to a temporary gzip part, its pages in page order
 * (pages fetched together are held only until the ones before them are in), then the parts joined in the
 * configured order of the regions into one gzip file, hashed on the way to disk. The same tasks therefore
 * give the same file and the same SHA-256. Each task is compared with the previous snapshot's index.
 */
final class Snapshot implements AutoCloseable {

    private final Path target;
    private final ObjectMapper mapper;
    private final SnapshotIndex previous;
    private final BitSet seenInPrevious = new BitSet();
    private final Map<String, Part> parts = new LinkedHashMap<>();
    private String sha256;
    private long tasks;
    private long added;
    private long changed;

    /** One region's part: a temporary gzip file and the pages that arrived ahead of their turn. */
    private static final class Part {
        final Path file;
        final GZIPOutputStream out;
        final TreeMap<Integer, byte[]> waiting = new TreeMap<>();
        int nextPage = 1;

        Part(Path file) throws IOException {
            this.file = file;
            this.out = new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024);
        }

        void flushInOrder(boolean all) throws IOException {
            while (!waiting.isEmpty() && (all || waiting.firstKey() == nextPage)) {
                Map.Entry<Integer, byte[]> page = waiting.pollFirstEntry();
                out.write(page.getValue());
                nextPage = page.getKey() + 1;
            }
        }
    }

    Snapshot(Path target, ObjectMapper mapper, SnapshotIndex previous, List<String> regions) throws IOException {
        this.target = target;
        this.mapper = mapper;
        this.previous = previous;
        Files.createDirectories(target.getParent());
        for (int i = 0; i < regions.size(); i++) {
            parts.put(regions.get(i), new Part(target.resolveSibling("." + target.getFileName() + ".part" + i)));
        }
    }

    /** Takes one page of a region's tasks; called from the threads that read the pages. */
    synchronized void write(String region, int pageNumber, List<ActiveOperationTask> page) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream(page.size() * 1024);
        for (ActiveOperationTask task : page) {
            ObjectNode item = task.raw();
            if (task.text("Region") == null && task.polledRegion() != null && !"all".equals(task.polledRegion())) {
                item = item.deepCopy();
                item.put("Region", task.polledRegion());
            }
            byte[] line = mapper.writeValueAsBytes(item);
            lines.write(line);
            lines.write('\n');
            tasks++;
            compare(key(task), hash(line));
        }
        Part part = parts.get(region);
        part.waiting.put(pageNumber, lines.toByteArray());
        part.flushInOrder(false);
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

    /**
     * Joins the parts (each a complete gzip member) into the data file, forces it to disk and renames it
     * into place; returns the SHA-256 of the file.
     */
    synchronized String commit() throws IOException {
        for (Part part : parts.values()) {
            part.flushInOrder(true);
            part.out.close();
        }
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        MessageDigest digest = sha256();
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            OutputStream out = new DigestOutputStream(Channels.newOutputStream(channel), digest);
            for (Part part : parts.values()) {
                try (InputStream in = Files.newInputStream(part.file)) {
                    in.transferTo(out);
                }
            }
            out.flush();
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sha256 = HexFormat.of().formatHex(digest.digest());
        return sha256;
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
        return ByteBuffer.wrap(sha256().digest(bytes)).getLong();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes the temporary parts (and an unfinished data file); the renamed data file stays. */
    @Override
    public synchronized void close() throws IOException {
        for (Part part : parts.values()) {
            try {
                part.out.close();
            } catch (IOException e) {
                // Abandoned either way.
            }
            Files.deleteIfExists(part.file);
        }
        Files.deleteIfExists(target.resolveSibling("." + target.getFileName() + ".tmp"));
    }
}
