package io.github.polardbopsalerts.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.Harness;
import io.github.polardbopsalerts.TestClock;
import io.github.polardbopsalerts.simulator.Fault;
import io.github.polardbopsalerts.simulator.PolarDbSimulator;
import io.github.polardbopsalerts.simulator.TaskGenerator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive (routes/archive.camel.yaml) against the simulator over HTTP, files checked as an auditor would. */
class ArchiveTest {

    static final Instant T0 = Instant.parse("2026-12-04T18:00:00Z");
    static final List<String> REGIONS = List.of("cn-hangzhou", "cn-beijing", "ap-southeast-1");

    @TempDir
    Path dir;
    TestClock clock = new TestClock(T0);
    PolarDbSimulator simulator;
    Map<String, String> settings;
    List<ObjectNode> tasks;

    @BeforeEach
    void start() throws Exception {
        tasks = new TaskGenerator(Harness.MAPPER).generate(21, REGIONS, 200, T0);
        simulator = new PolarDbSimulator(clock).withCredential(Harness.CREDENTIAL).withTasks(tasks).start();
        settings = Harness.settings(simulator, dir);
        settings.put("polardb.regions", String.join(",", REGIONS));
        settings.put("polardb.page-size", "50");
        // Alerting filters the archive must ignore.
        settings.put("polardb.status", "3");
        settings.put("polardb.task-type", "DatabaseProxyUpgrading");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private Path archived(String relative) {
        return dir.resolve("archive").resolve(relative);
    }

    private static List<String> lines(Path gz) throws Exception {
        List<String> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.UTF_8))) {
            String l;
            while ((l = in.readLine()) != null) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void a_snapshot_holds_every_task_of_every_region_and_its_checksum_verifies() throws Exception {
        ObjectNode manifest = Harness.archiveNow(settings, clock);

        assertThat(manifest.get("complete").asBoolean()).isTrue();
        assertThat(manifest.get("takenAt").asText()).isEqualTo("2026-12-04T18:00:00Z");
        assertThat(manifest.get("dataPath").asText()).isEqualTo("2026/12/04/tasks-20261204T180000Z.jsonl.gz");
        assertThat(manifest.get("taskCount").asLong()).isEqualTo(600);
        for (String region : REGIONS) {
            assertThat(manifest.get("regions").get(region).get("totalRecordCount").asLong()).isEqualTo(200);
            assertThat(manifest.get("regions").get(region).get("error").isNull()).isTrue();
        }
        Path data = archived("2026/12/04/tasks-20261204T180000Z.jsonl.gz");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(data)));
        assertThat(manifest.get("sha256").asText()).isEqualTo(sha);
        assertThat(manifest.get("bytes").asLong()).isEqualTo(Files.size(data));
        // One API item a line, exactly as the API gave it (compared as JSON text).
        List<String> written = lines(data);
        assertThat(written).hasSize(600).doesNotHaveDuplicates();
        assertThat(Set.copyOf(written)).isEqualTo(tasks.stream().map(JsonNode::toString).collect(Collectors.toSet()));
        assertThat(simulator.acceptedQueries()).allSatisfy(q -> {
            assertThat(q.get("Status")).isEqualTo("-1");
            assertThat(q.get("TaskType")).isEqualTo("all");
        });
        Path manifestFile = archived("2026/12/04/tasks-20261204T180000Z.manifest.json");
        assertThat(Harness.MAPPER.readTree(manifestFile.toFile()).toString()).isEqualTo(manifest.toString());
        try (Stream<Path> left = Files.list(archived("2026/12/04"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "tasks-20261204T180000Z.jsonl.gz", "tasks-20261204T180000Z.manifest.json");
        }
    }

    @Test
    void the_same_tasks_give_the_same_file_in_region_and_page_order() throws Exception {
        ObjectNode first = Harness.archiveNow(settings, clock);
        clock.advance(Duration.ofHours(1));
        ObjectNode second = Harness.archiveNow(settings, clock);

        assertThat(second.get("sha256").asText()).isEqualTo(first.get("sha256").asText());
        List<Long> ids = lines(archived(second.get("dataPath").asText())).stream()
                .map(l -> Long.parseLong(l.replaceAll("^\\{\"TaskId\":(\\d+).*", "$1"))).toList();
        List<Long> expected = new ArrayList<>();
        for (String region : REGIONS) {
            tasks.stream().filter(t -> t.get("Region").asText().equals(region)).map(t -> t.get("TaskId").asLong())
                    .sorted().forEach(expected::add);
        }
        assertThat(ids).isEqualTo(expected);
    }

    @Test
    void a_region_that_cannot_be_read_makes_the_snapshot_incomplete_and_says_why() throws Exception {
        settings.put("polardb.retry.max-attempts", "2");
        simulator.inject(Fault.serviceUnavailable().inRegion("cn-beijing"));
        simulator.inject(Fault.serviceUnavailable().inRegion("cn-beijing"));

        ObjectNode manifest = Harness.archiveNow(settings, clock);

        assertThat(manifest.get("complete").asBoolean()).isFalse();
        JsonNode error = manifest.get("regions").get("cn-beijing").get("error");
        assertThat(error.get("code").asText()).isEqualTo("ServiceUnavailable");
        assertThat(error.get("requestId").asText()).isNotBlank();
        assertThat(manifest.get("taskCount").asLong()).isEqualTo(400);
        assertThat(lines(archived(manifest.get("dataPath").asText()))).hasSize(400);
    }

    @Test
    void the_manifest_says_what_moved_since_the_previous_snapshot() throws Exception {
        Harness.archiveNow(settings, clock);
        ObjectNode changedTask = tasks.get(10);
        changedTask.put("Deadline", "2026-12-30T00:00:00Z");
        simulator.tasks().remove(tasks.get(20));
        ObjectNode fresh = tasks.get(30).deepCopy().put("TaskId", 999_000_001L);
        simulator.tasks().add(fresh);
        clock.advance(Duration.ofDays(1));

        ObjectNode manifest = Harness.archiveNow(settings, clock);

        JsonNode changes = manifest.get("changes");
        assertThat(changes.get("comparedWith").asText()).isEqualTo("2026/12/04/tasks-20261204T180000Z.jsonl.gz");
        assertThat(changes.get("new").asLong()).isEqualTo(1);
        assertThat(changes.get("changed").asLong()).isEqualTo(1);
        assertThat(changes.get("gone").asLong()).isEqualTo(1);
    }

    @Test
    void retention_deletes_only_old_snapshots_the_archive_wrote() throws Exception {
        settings.put("archive.retention-days", "30");
        Path oldDay = Files.createDirectories(archived("2026/10/01"));
        Files.writeString(oldDay.resolve("tasks-20261001T020000Z.jsonl.gz"), "old data");
        Files.writeString(oldDay.resolve("tasks-20261001T020000Z.manifest.json"), "{}");
        Path otherOld = Files.createDirectories(archived("2026/10/02"));
        Files.writeString(otherOld.resolve("tasks-20261002T020000Z.jsonl.gz"), "old data");
        Files.writeString(otherOld.resolve("auditor-notes.txt"), "keep me");
        Path recentDay = Files.createDirectories(archived("2026/11/20"));
        Files.writeString(recentDay.resolve("tasks-20261120T020000Z.jsonl.gz"), "recent");
        Files.writeString(archived("README.txt"), "not ours");
        Files.writeString(archived("tasks-20261001T020000Z.jsonl.gz"), "not in a date folder");

        Harness.archiveNow(settings, clock);

        assertThat(oldDay).doesNotExist();
        assertThat(otherOld.resolve("tasks-20261002T020000Z.jsonl.gz")).doesNotExist();
        assertThat(otherOld.resolve("auditor-notes.txt")).exists();
        assertThat(recentDay.resolve("tasks-20261120T020000Z.jsonl.gz")).exists();
        assertThat(archived("README.txt")).exists();
        assertThat(archived("tasks-20261001T020000Z.jsonl.gz")).exists();
        assertThat(archived("2026/12/04/tasks-20261204T180000Z.jsonl.gz")).exists();
    }
}
