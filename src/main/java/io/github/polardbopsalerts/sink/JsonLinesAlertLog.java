package io.github.polardbopsalerts.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file sink: one alert document a line in sink.file.dir/alerts-YYYY-MM-DD.jsonl (UTC date).
 *
 * <p>Alerts come one at a time or as a group (up to {@link #GROUP} pending alerts): a group is written with one
 * write and one fsync, whole or not at all, and confirmed together after it is on disk. A process killed
 * between the write and the confirmation leaves that group in the file and pending in the state; the next
 * process finds those lines at the end of the newest file and confirms them without writing them again, so
 * the log holds each alert once.
 */
public final class JsonLinesAlertLog {

    public static final String SINK = "file";
    /** How many pending alerts one write and one fsync take. */
    public static final int GROUP = 256;

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAlertLog.class);
    /** How far from the end the lines of one group are looked for: generous for GROUP lines of a few KB. */
    private static final long TAIL_BYTES = 8L << 20;

    private final Path dir;
    private final Clock clock;
    private final ObjectMapper mapper;
    /** alertIds at the end of the newest file when this process first wrote: written, maybe not confirmed. */
    private Set<String> writtenBefore;

    public JsonLinesAlertLog(Path dir, Clock clock, ObjectMapper mapper) {
        this.dir = dir;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** Appends the alert (or every alert of the group) in the body as whole lines, on disk before this returns. */
    public void append(Exchange exchange) throws IOException {
        List<ObjectNode> alerts = AlertBatch.alertsIn(exchange.getMessage().getBody());
        synchronized (this) {
            if (writtenBefore == null) {
                writtenBefore = idsAtEndOfNewestFile();
            }
            ByteArrayOutputStream lines = new ByteArrayOutputStream();
            List<String> already = new ArrayList<>();
            for (ObjectNode alert : alerts) {
                String id = alert.path("alertId").asText();
                if (writtenBefore.remove(id)) {
                    already.add(id);
                    continue;
                }
                mapper.writeValue(lines, alert);
                lines.write('\n');
            }
            if (!already.isEmpty()) {
                LOG.info("{} alert(s) were already in the alert log, written before a restart and not confirmed;"
                        + " confirmed now, not written again (first {})", already.size(), already.get(0));
            }
            if (lines.size() > 0) {
                AtomicFiles.append(fileFor(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)), lines.toByteArray());
            }
        }
    }

    public Path fileFor(LocalDate date) {
        return dir.resolve("alerts-" + date + ".jsonl");
    }

    /** The alertIds of the last GROUP whole lines of the newest alert file; empty when there is none. */
    private Set<String> idsAtEndOfNewestFile() {
        Set<String> ids = new HashSet<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        Path newest;
        try (Stream<Path> files = Files.list(dir)) {
            newest = files.filter(f -> f.getFileName().toString().matches("alerts-\\d{4}-\\d{2}-\\d{2}\\.jsonl"))
                    .max(Path::compareTo).orElse(null);
        } catch (IOException e) {
            LOG.warn("cannot list {} to look for alerts written before a restart: {}", dir, e.getMessage());
            return ids;
        }
        if (newest == null) {
            return ids;
        }
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "r")) {
            long from = Math.max(0, f.length() - TAIL_BYTES);
            byte[] tail = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(tail);
            int end = tail.length;
            while (end > 0 && tail[end - 1] != '\n') {
                end--; // a torn last line never counted as written; the next append cuts it off
            }
            List<String> lines = new ArrayList<>(new String(tail, 0, end, StandardCharsets.UTF_8).lines().toList());
            if (from > 0 && !lines.isEmpty()) {
                lines.remove(0); // may start mid-line
            }
            for (String line : lines.subList(Math.max(0, lines.size() - GROUP), lines.size())) {
                try {
                    JsonNode doc = mapper.readTree(line);
                    if (doc != null && doc.hasNonNull("alertId")) {
                        ids.add(doc.get("alertId").asText());
                    }
                } catch (IOException e) {
                    // not ours to judge here: a line an operator edited is left as it is
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read the end of {} to look for alerts written before a restart: {}", newest,
                    e.getMessage());
        }
        return ids;
    }
}
