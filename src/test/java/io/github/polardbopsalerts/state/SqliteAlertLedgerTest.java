package io.github.polardbopsalerts.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.Harness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite ledger: what it keeps across reopening, and how it refuses a state it cannot trust. */
class SqliteAlertLedgerTest {

    static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path dir;

    private static TrackedTask tracked(String key, Instant resolvedAt) {
        ObjectNode item = Harness.MAPPER.createObjectNode().put("TaskId", key);
        return new TrackedTask(key, "cn-hangzhou", new Fingerprint("2026-12-05T10:00:00Z", null, "0", "S0"),
                List.of("S0"), Set.of("24h"), 2, NOW, resolvedAt, item.toString());
    }

    private static ObjectNode alert(String id) {
        return Harness.MAPPER.createObjectNode().put("alertId", id).put("kind", id.substring(id.indexOf('/') + 1));
    }

    @Test
    void keeps_tasks_and_pending_alerts_across_reopening() {
        try (SqliteAlertLedger ledger = SqliteAlertLedger.open(dir, Harness.MAPPER)) {
            ledger.record(List.of(new AlertLedger.Update(tracked("1", null), List.of(alert("1/urgent")))),
                    List.of("file", "mail"), NOW);
            ledger.delivered("1/urgent", "file", NOW);
        }
        try (SqliteAlertLedger ledger = SqliteAlertLedger.open(dir, Harness.MAPPER)) {
            assertThat(ledger.tasks()).containsEntry("1", tracked("1", null));
            assertThat(ledger.pendingCount("file")).isZero();
            assertThat(ledger.pendingCount("mail")).isEqualTo(1);
            assertThat(ledger.pending("mail").next().get("alertId").asText()).isEqualTo("1/urgent");
        }
    }

    /** A state.db as version 1 of the schema wrote it, with one alerted task. */
    private void writeVersion1State() throws Exception {
        Files.createDirectories(dir);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteAlertLedger.FILE));
                Statement s = db.createStatement()) {
            s.execute("CREATE TABLE task (task_key TEXT PRIMARY KEY, scope TEXT NOT NULL, deadline TEXT,"
                    + " switch_time TEXT, allow_cancel TEXT, change_level TEXT, reasons TEXT NOT NULL,"
                    + " reminders_done TEXT NOT NULL, changes INTEGER NOT NULL, first_alerted_at INTEGER NOT NULL,"
                    + " resolved_at INTEGER, last_item TEXT NOT NULL)");
            s.execute("CREATE TABLE alert (alert_id TEXT PRIMARY KEY, task_key TEXT NOT NULL, kind TEXT NOT NULL,"
                    + " created_at INTEGER NOT NULL, document TEXT NOT NULL)");
            s.execute("CREATE TABLE delivery (alert_id TEXT NOT NULL, sink TEXT NOT NULL, state TEXT NOT NULL,"
                    + " updated_at INTEGER NOT NULL, detail TEXT, PRIMARY KEY (alert_id, sink))");
            s.execute("INSERT INTO task VALUES ('1', 'cn-hangzhou', '2026-12-05T10:00:00Z', NULL, '0', 'S0',"
                    + " '[\"S0\"]', '24h', 2, " + NOW.toEpochMilli() + ", NULL, '{\"TaskId\":\"1\"}')");
            s.execute("PRAGMA user_version=1");
        }
    }

    @Test
    void a_version_1_state_is_read_as_it_is_and_upgraded_in_place() throws Exception {
        writeVersion1State();
        assertThat(SqliteAlertLedger.snapshot(dir, Harness.MAPPER)).containsEntry("1", tracked("1", null));

        Instant resolvedAt = NOW.plusSeconds(600);
        TrackedTask reopened = new TrackedTask("2", "cn-hangzhou", new Fingerprint(null, null, "0", "S0"),
                List.of("S0"), Set.of(), 0, NOW, null, "{}", resolvedAt);
        try (SqliteAlertLedger ledger = SqliteAlertLedger.open(dir, Harness.MAPPER)) {
            assertThat(ledger.tasks()).containsEntry("1", tracked("1", null));
            ledger.record(List.of(new AlertLedger.Update(reopened, List.of(alert("2/urgent")))), List.of("file"),
                    NOW);
        }
        try (SqliteAlertLedger ledger = SqliteAlertLedger.open(dir, Harness.MAPPER)) {
            assertThat(ledger.tasks()).containsEntry("1", tracked("1", null)).containsEntry("2", reopened);
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteAlertLedger.FILE));
                Statement s = db.createStatement();
                java.sql.ResultSet v = s.executeQuery("PRAGMA user_version")) {
            assertThat(v.getInt(1)).isEqualTo(SqliteAlertLedger.SCHEMA_VERSION).isEqualTo(2);
        }
    }

    @Test
    void hands_out_pending_alerts_oldest_first_across_batches_while_they_are_settled() {
        try (SqliteAlertLedger ledger = SqliteAlertLedger.open(dir, Harness.MAPPER)) {
            List<AlertLedger.Update> updates = new ArrayList<>();
            for (int i = 0; i < 450; i++) {
                updates.add(new AlertLedger.Update(tracked("t" + i, null), List.of(alert("t" + i + "/urgent"))));
            }
            ledger.record(updates, List.of("file"), NOW);

            List<String> seen = new ArrayList<>();
            Iterator<ObjectNode> pending = ledger.pending("file");
            while (pending.hasNext()) {
                String id = pending.next().get("alertId").asText();
                seen.add(id);
                ledger.delivered(id, "file", NOW);
            }

            assertThat(seen).hasSize(450).doesNotHaveDuplicates().startsWith("t0/urgent", "t1/urgent")
                    .endsWith("t449/urgent");
            assertThat(ledger.pendingCount("file")).isZero();
        }
    }

    @Test
    void a_group_is_confirmed_in_one_go_and_only_for_its_sink() {
        try (SqliteAlertLedger ledger = SqliteAlertLedger.open(dir, Harness.MAPPER)) {
            List<AlertLedger.Update> updates = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                updates.add(new AlertLedger.Update(tracked("g" + i, null), List.of(alert("g" + i + "/urgent"))));
            }
            ledger.record(updates, List.of("file", "mail"), NOW);

            ledger.delivered(List.of("g0/urgent", "g2/urgent"), "file", NOW);

            assertThat(ledger.pendingCount("file")).isEqualTo(1);
            assertThat(ledger.pending("file").next().get("alertId").asText()).isEqualTo("g1/urgent");
            assertThat(ledger.pendingCount("mail")).isEqualTo(3);
        }
    }

    @Test
    void an_alert_recorded_twice_is_pending_once() {
        try (SqliteAlertLedger ledger = SqliteAlertLedger.open(dir, Harness.MAPPER)) {
            AlertLedger.Update u = new AlertLedger.Update(tracked("1", null), List.of(alert("1/urgent")));
            ledger.record(List.of(u), List.of("file"), NOW);
            ledger.delivered("1/urgent", "file", NOW);
            ledger.record(List.of(u), List.of("file"), NOW);
            assertThat(ledger.pendingCount("file")).isZero();
        }
    }

    @Test
    void forgets_only_tasks_resolved_before_the_cutoff_with_their_alerts() {
        try (SqliteAlertLedger ledger = SqliteAlertLedger.open(dir, Harness.MAPPER)) {
            ledger.record(List.of(
                    new AlertLedger.Update(tracked("old", NOW.minusSeconds(100)), List.of(alert("old/resolved"))),
                    new AlertLedger.Update(tracked("recent", NOW), List.of(alert("recent/resolved"))),
                    new AlertLedger.Update(tracked("open", null), List.of(alert("open/urgent")))),
                    List.of("file"), NOW);

            assertThat(ledger.forgetResolvedBefore(NOW.minusSeconds(10))).isEqualTo(1);
            assertThat(ledger.tasks()).containsOnlyKeys("recent", "open");
            assertThat(ledger.pendingCount("file")).isEqualTo(2);
        }
    }

    @Test
    void refuses_a_corrupt_file_and_says_how_to_start_afresh() throws Exception {
        Files.write(dir.resolve("state.db"), "this is not a database, it was overwritten".repeat(200).getBytes());

        assertThatThrownBy(() -> SqliteAlertLedger.open(dir, Harness.MAPPER))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("state.db is not a readable polardb-ops-alerts state")
                .hasMessageContaining("move state.dir aside");
    }

    @Test
    void refuses_a_state_written_by_a_newer_version() throws Exception {
        SqliteAlertLedger.open(dir, Harness.MAPPER).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state.db"));
                Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version=99");
        }

        assertThatThrownBy(() -> SqliteAlertLedger.open(dir, Harness.MAPPER))
                .isInstanceOf(StateException.class).hasMessageContaining("newer polardb-ops-alerts");
    }

    @Test
    void refuses_a_state_dir_another_process_holds() {
        try (SqliteAlertLedger first = SqliteAlertLedger.open(dir, Harness.MAPPER)) {
            // Within one JVM the lock shows as an overlapping lock; across processes as tryLock() == null.
            assertThatThrownBy(() -> SqliteAlertLedger.open(dir, Harness.MAPPER))
                    .isInstanceOf(StateException.class).hasMessageContaining("in use by another");
        }
        SqliteAlertLedger.open(dir, Harness.MAPPER).close();
    }
}
