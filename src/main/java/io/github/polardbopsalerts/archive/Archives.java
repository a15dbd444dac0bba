package io.github.polardbopsalerts.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.api.ActiveOperationTask;
import io.github.polardbopsalerts.api.Exchanges;
import io.github.polardbopsalerts.poll.CycleReport;
import io.github.polardbopsalerts.sink.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly snapshot of every task: opened before the regions are read, written page by page, then
 * renamed into place with its manifest written last; old snapshots past archive.retention-days removed.
 */
public final class Archives {

    public static final String SCHEMA = "polardb-ops-alerts/archive-manifest/v1";
    static final String SNAPSHOT = "snapshot";
    private static final Logger LOG = LoggerFactory.getLogger(Archives.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Pattern NAME = Pattern.compile("tasks-(\\d{8}T\\d{6}Z)(\\.jsonl\\.gz|\\.manifest\\.json)");

    private final Path dir;
    private final List<String> regions;
    private final Duration retention;
    private final Clock clock;
    private final ObjectMapper mapper;

    public Archives(Path dir, List<String> regions, Duration retention, Clock clock, ObjectMapper mapper) {
        this.dir = dir;
        this.regions = List.copyOf(regions);
        this.retention = retention;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** Opens the snapshot and the run's report; the body becomes the regions to read. */
    public List<String> begin(Exchange exchange) throws IOException {
        Instant takenAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        CycleReport report = new CycleReport(takenAt, regions);
        exchange.setProperty(Exchanges.CYCLE, report);
        exchange.setProperty(Exchanges.ARCHIVE, true);
        exchange.setProperty(Exchanges.ON_PAGE, "direct:archive-page");
        Snapshot snapshot = new Snapshot(dataFile(takenAt), mapper, previousIndex(takenAt).orElse(null), regions);
        exchange.setProperty(SNAPSHOT, snapshot);
        LOG.info("archive: taking a snapshot of every task of {}", regions);
        return regions;
    }

    /** Writes one page of tasks to the snapshot. */
    public void write(Exchange exchange) throws IOException {
        @SuppressWarnings("unchecked")
        List<ActiveOperationTask> page = exchange.getMessage().getBody(List.class);
        exchange.getProperty(SNAPSHOT, Snapshot.class).write(exchange.getProperty(Exchanges.REGION, String.class),
                exchange.getProperty(Exchanges.PAGE_NUMBER, Integer.class), page);
    }

    /** Puts the data file in place, then the manifest; prunes old snapshots; the body becomes the manifest. */
    public ObjectNode finish(Exchange exchange) throws IOException {
        CycleReport report = exchange.getProperty(Exchanges.CYCLE, CycleReport.class);
        Instant takenAt = report.startedAt();
        ObjectNode manifest;
        try (Snapshot snapshot = exchange.getProperty(SNAPSHOT, Snapshot.class)) {
            String sha = snapshot.commit();
            manifest = manifest(report, takenAt, snapshot, sha);
        }
        AtomicFiles.write(manifestFile(takenAt), mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        LOG.info("archive: {} tasks in {} ({}), {}", manifest.get("taskCount"), dataFile(takenAt),
                manifest.get("complete").asBoolean() ? "complete" : "INCOMPLETE", manifest.get("changes"));
        prune(takenAt);
        return manifest;
    }

    private ObjectNode manifest(CycleReport report, Instant takenAt, Snapshot snapshot, String sha) throws IOException {
        ObjectNode m = mapper.createObjectNode();
        m.put("schema", SCHEMA);
        m.put("takenAt", takenAt.toString());
        m.put("finishedAt", clock.instant().toString());
        boolean complete = report.regions().values().stream().allMatch(r -> r.error() == null);
        m.put("complete", complete);
        m.put("dataFile", dataFile(takenAt).getFileName().toString());
        m.put("dataPath", dir.relativize(dataFile(takenAt)).toString());
        m.put("sha256", sha);
        m.put("bytes", snapshot.bytes());
        m.put("taskCount", snapshot.tasks());
        ObjectNode regionsNode = m.putObject("regions");
        report.regions().forEach((name, r) -> {
            ObjectNode n = regionsNode.putObject(name);
            n.put("totalRecordCount", r.totalRecordCount());
            n.put("tasks", r.tasks());
            n.put("pages", r.pages());
            n.set("error", r.error() == null ? null : mapper.valueToTree(r.error()));
        });
        ObjectNode changes = m.putObject("changes");
        if (snapshot.hasPrevious()) {
            changes.put("comparedWith", comparedWith);
            changes.put("new", snapshot.added());
            changes.put("changed", snapshot.changed());
            if (complete) {
                changes.put("gone", snapshot.gone());
            } else {
                // Tasks of a region that could not be read are not gone.
                changes.putNull("gone");
            }
        } else {
            changes.putNull("comparedWith");
        }
        return m;
    }

    private String comparedWith;

    /** The index of the newest complete snapshot taken before this one, read from its data file. */
    private Optional<SnapshotIndex> previousIndex(Instant before) throws IOException {
        comparedWith = null;
        Optional<Path> manifest = snapshots().filter(p -> p.getFileName().toString().endsWith(".manifest.json"))
                .filter(p -> takenAt(p).map(t -> t.isBefore(before)).orElse(false))
                .filter(this::complete)
                .max(Comparator.comparing(p -> takenAt(p).orElseThrow()));
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        Path data = manifest.get().resolveSibling(manifest.get().getFileName().toString()
                .replace(".manifest.json", ".jsonl.gz"));
        SnapshotIndex index = new SnapshotIndex();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(data), 64 * 1024), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode item = mapper.readTree(line);
                ActiveOperationTask task = new ActiveOperationTask(null, (ObjectNode) item);
                index.add(Snapshot.key(task), Snapshot.hash(mapper.writeValueAsBytes(item)));
            }
        } catch (IOException e) {
            LOG.warn("archive: cannot read the previous snapshot {} to compare with: {}", data, e.getMessage());
            return Optional.empty();
        }
        comparedWith = dir.relativize(data).toString();
        return Optional.of(index);
    }

    private boolean complete(Path manifest) {
        try {
            return mapper.readTree(manifest.toFile()).path("complete").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes the snapshots (data and manifest) taken longer ago than the retention; nothing else. */
    void prune(Instant now) throws IOException {
        Instant cutoff = now.minus(retention);
        List<Path> old = snapshots().filter(p -> takenAt(p).map(t -> t.isBefore(cutoff)).orElse(false)).toList();
        for (Path p : old) {
            Files.deleteIfExists(p);
            LOG.info("archive: deleted {} (older than the retention)", p);
            removeEmptyDateDirs(p.getParent());
        }
    }

    private void removeEmptyDateDirs(Path day) throws IOException {
        Path d = day;
        for (int level = 0; level < 3 && d != null && !d.equals(dir); level++) {
            if (!d.getFileName().toString().matches("\\d{2,4}")) {
                return;
            }
            try (Stream<Path> left = Files.list(d)) {
                if (left.findAny().isPresent()) {
                    return;
                }
            }
            Files.delete(d);
            d = d.getParent();
        }
    }

    /** Every file under archive.dir/YYYY/MM/DD/ named like a snapshot of ours. */
    private Stream<Path> snapshots() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> all = Files.walk(dir, 4)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> dir.relativize(p).getNameCount() == 4)
                    .toList().stream();
        }
    }

    static Optional<Instant> takenAt(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(m.group(1), STAMP).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    Path dataFile(Instant takenAt) {
        return dayDir(takenAt).resolve("tasks-" + STAMP.format(takenAt.atOffset(ZoneOffset.UTC)) + ".jsonl.gz");
    }

    Path manifestFile(Instant takenAt) {
        return dayDir(takenAt).resolve("tasks-" + STAMP.format(takenAt.atOffset(ZoneOffset.UTC)) + ".manifest.json");
    }

    private Path dayDir(Instant t) {
        java.time.LocalDate d = t.atOffset(ZoneOffset.UTC).toLocalDate();
        return dir.resolve(String.format("%04d", d.getYear())).resolve(String.format("%02d", d.getMonthValue()))
                .resolve(String.format("%02d", d.getDayOfMonth()));
    }
}
