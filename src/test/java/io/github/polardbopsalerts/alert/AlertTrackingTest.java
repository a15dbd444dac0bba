package io.github.polardbopsalerts.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.Harness;
import io.github.polardbopsalerts.TestClock;
import io.github.polardbopsalerts.poll.CycleReport;
import io.github.polardbopsalerts.simulator.Fault;
import io.github.polardbopsalerts.simulator.PolarDbSimulator;
import io.github.polardbopsalerts.simulator.TaskGenerator;
import io.github.polardbopsalerts.state.SqliteAlertLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is sent across cycles, each cycle a fresh runtime over the same state.dir as a cron run with --once:
 * the real routes, the simulator over HTTP, the file sink, one clock shared by daemon and simulator.
 */
class AlertTrackingTest {

    static final Instant T0 = Instant.parse("2026-12-04T00:00:00Z");

    @TempDir
    Path dir;
    TestClock clock = new TestClock(T0);
    PolarDbSimulator simulator;
    Map<String, String> settings;

    @BeforeEach
    void startSimulator() throws Exception {
        simulator = new PolarDbSimulator(clock).withCredential(Harness.CREDENTIAL).start();
        settings = Harness.settings(simulator, dir);
        settings.put("polardb.regions", "cn-hangzhou,cn-beijing");
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    /** An S0 task that cannot be cancelled, waiting (Status 3), with the given Deadline. */
    private ObjectNode task(long id, String region, Instant deadline) {
        ObjectNode t = Harness.MAPPER.createObjectNode();
        t.put("TaskId", id);
        t.put("Region", region);
        t.put("DBClusterId", "pc-" + id);
        t.put("TaskType", "DatabaseSoftwareUpgrading");
        t.put("ChangeLevel", "S0");
        t.put("AllowCancel", "0");
        t.put("AllowChange", "1");
        t.put("Status", 3);
        t.put("Deadline", deadline.toString());
        t.put("SwitchTime", deadline.minus(Duration.ofHours(2)).toString());
        return t;
    }

    private CycleReport cycle() throws Exception {
        return Harness.runOnce(settings, clock);
    }

    private List<JsonNode> alerts() {
        return Harness.alerts(dir);
    }

    private static List<String> ids(List<JsonNode> alerts) {
        return alerts.stream().map(a -> a.get("alertId").asText()).toList();
    }

    @Test
    void identical_cycles_send_nothing_new() throws Exception {
        simulator.withTasks(new TaskGenerator(Harness.MAPPER).generate(3, List.of("cn-hangzhou", "cn-beijing"), 256, T0));

        CycleReport first = cycle();
        int sent = alerts().size();
        clock.advance(Duration.ofMinutes(5));
        CycleReport second = cycle();

        assertThat(sent).isGreaterThan(100);
        assertThat(first.sinks().get("file").delivered()).isEqualTo(sent);
        assertThat(alerts()).hasSize(sent);
        assertThat(second.ok()).isTrue();
        assertThat(second.urgent()).isEqualTo(first.urgent());
        assertThat(second.sinks().get("file").delivered()).isZero();
        assertThat(second.sinks().get("file").pending()).isZero();
        assertThat(ids(alerts())).doesNotHaveDuplicates().allMatch(id -> id.endsWith("/urgent"));
    }

    @Test
    void a_task_that_completes_gives_one_resolved_alert() throws Exception {
        ObjectNode t = task(501, "cn-hangzhou", T0.plus(Duration.ofHours(30)));
        simulator.withTasks(List.of(t, task(502, "cn-beijing", T0.plus(Duration.ofHours(40)))));
        cycle();

        t.put("Status", 5);
        clock.advance(Duration.ofMinutes(5));
        cycle();
        clock.advance(Duration.ofMinutes(5));
        cycle();

        assertThat(ids(alerts())).containsExactlyInAnyOrder("501/urgent", "502/urgent", "501/resolved");
        JsonNode resolved = alerts().get(2);
        assertThat(resolved.get("kind").asText()).isEqualTo("resolved");
        assertThat(resolved.get("resolution").asText()).isEqualTo("SUCCEEDED");
        assertThat(resolved.get("reasons")).extracting(JsonNode::asText).containsExactly("S0", "NOT_CANCELABLE");
        assertThat(resolved.get("task").get("Status").asInt()).isEqualTo(5);
    }

    @Test
    void a_task_that_leaves_the_api_is_resolved_only_once_its_region_was_read_completely() throws Exception {
        settings.put("polardb.retry.max-attempts", "1");
        ObjectNode gone = task(601, "cn-beijing", T0.plus(Duration.ofHours(30)));
        simulator.withTasks(List.of(gone, task(602, "cn-hangzhou", T0.plus(Duration.ofHours(30)))));
        cycle();
        simulator.tasks().remove(gone);

        simulator.inject(Fault.serviceUnavailable().inRegion("cn-beijing"));
        CycleReport failed = cycle();
        assertThat(failed.regions().get("cn-beijing").error()).isNotNull();
        assertThat(ids(alerts())).containsExactlyInAnyOrder("601/urgent", "602/urgent");

        cycle();
        assertThat(ids(alerts())).containsExactlyInAnyOrder("601/urgent", "602/urgent", "601/resolved");
        JsonNode resolved = alerts().get(2);
        assertThat(resolved.get("kind").asText()).isEqualTo("resolved");
        assertThat(resolved.get("resolution").asText()).isEqualTo("GONE");
        assertThat(resolved.get("dbClusterId").asText()).isEqualTo("pc-601");
        assertThat(resolved.get("task").get("TaskId").asLong()).isEqualTo(601);
    }

    @Test
    void a_task_reported_gone_that_is_listed_again_gets_a_new_urgent_alert_once() throws Exception {
        ObjectNode back = task(611, "cn-hangzhou", T0.plus(Duration.ofHours(30)));
        simulator.withTasks(List.of(back));
        cycle();
        simulator.tasks().remove(back);
        clock.advance(Duration.ofMinutes(5));
        cycle();
        Instant resolvedAt = clock.instant();
        simulator.tasks().add(back);
        clock.advance(Duration.ofMinutes(5));
        cycle();
        clock.advance(Duration.ofMinutes(5));
        cycle();

        String again = "611/urgent/after-" + resolvedAt.getEpochSecond();
        assertThat(ids(alerts())).containsExactly("611/urgent", "611/resolved", again);
        JsonNode reopened = alerts().get(2);
        assertThat(reopened.get("kind").asText()).isEqualTo("urgent");
        assertThat(reopened.get("reopenedAfter").asText()).isEqualTo(resolvedAt.toString());

        // It is tracked again: when it completes, a resolved alert of this second life follows.
        back.put("Status", 5);
        clock.advance(Duration.ofMinutes(5));
        cycle();
        assertThat(ids(alerts())).containsExactly("611/urgent", "611/resolved", again,
                "611/resolved/after-" + resolvedAt.getEpochSecond());
        assertThat(alerts().get(3).get("resolution").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void a_completed_task_still_listed_stays_resolved() throws Exception {
        ObjectNode done = task(612, "cn-hangzhou", T0.plus(Duration.ofHours(30)));
        simulator.withTasks(List.of(done));
        cycle();
        done.put("Status", 5);
        clock.advance(Duration.ofMinutes(5));
        cycle();
        clock.advance(Duration.ofMinutes(5));
        cycle();

        assertThat(ids(alerts())).containsExactly("612/urgent", "612/resolved");
    }

    @Test
    void a_task_the_operator_filtered_out_since_is_not_reported_resolved() throws Exception {
        ObjectNode upgrade = task(621, "cn-hangzhou", T0.plus(Duration.ofHours(30)));
        ObjectNode hardware = task(622, "cn-hangzhou", T0.plus(Duration.ofHours(30)));
        hardware.put("TaskType", "DatabaseHardwareMaintenance");
        simulator.withTasks(List.of(upgrade, hardware));
        cycle();

        settings.put("polardb.task-type", "DatabaseSoftwareUpgrading");
        clock.advance(Duration.ofMinutes(5));
        cycle();
        assertThat(ids(alerts())).containsExactlyInAnyOrder("621/urgent", "622/urgent");

        // Within the filters, leaving the API still resolves.
        simulator.tasks().remove(upgrade);
        clock.advance(Duration.ofMinutes(5));
        cycle();
        assertThat(ids(alerts())).containsExactlyInAnyOrder("621/urgent", "622/urgent", "621/resolved");

        // Filters widened again: the hidden task was open all along, so nothing is repeated.
        settings.put("polardb.task-type", "all");
        clock.advance(Duration.ofMinutes(5));
        cycle();
        assertThat(ids(alerts())).containsExactlyInAnyOrder("621/urgent", "622/urgent", "621/resolved");
    }

    @Test
    void alerts_written_to_the_file_but_not_confirmed_before_a_kill_are_confirmed_not_written_again()
            throws Exception {
        simulator.withTasks(List.of(task(631, "cn-hangzhou", T0.plus(Duration.ofHours(30))),
                task(632, "cn-hangzhou", T0.plus(Duration.ofHours(30))),
                task(633, "cn-beijing", T0.plus(Duration.ofHours(30)))));
        cycle();
        assertThat(alerts()).hasSize(3);
        // What a kill between the write (and fsync) of a group and its confirmation leaves behind.
        Path db = Path.of(settings.get("state.dir")).resolve(SqliteAlertLedger.FILE);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                java.sql.Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE delivery SET state = 'pending' WHERE sink = 'file'"
                    + " AND alert_id IN ('632/urgent', '633/urgent')")).isEqualTo(2);
        }

        clock.advance(Duration.ofMinutes(5));
        CycleReport report = cycle();

        assertThat(ids(alerts())).containsExactlyInAnyOrder("631/urgent", "632/urgent", "633/urgent");
        assertThat(report.sink("file").delivered()).isEqualTo(2);
        assertThat(report.sink("file").pending()).isZero();
    }

    @Test
    void a_moved_deadline_gives_one_changed_alert() throws Exception {
        Instant deadline = T0.plus(Duration.ofHours(30));
        ObjectNode t = task(701, "cn-hangzhou", deadline);
        simulator.withTasks(List.of(t));
        cycle();

        Instant later = deadline.plus(Duration.ofHours(12));
        t.put("Deadline", "2026-12-06T02:00:00+08:00");
        cycle();
        cycle();

        assertThat(ids(alerts())).containsExactly("701/urgent", "701/changed/1");
        JsonNode changed = alerts().get(1);
        assertThat(changed.get("deadline").asText()).isEqualTo(later.toString());
        assertThat(changed.get("changes")).hasSize(1);
        assertThat(changed.get("changes").get(0).get("field").asText()).isEqualTo("Deadline");
        assertThat(changed.get("changes").get(0).get("from").asText()).isEqualTo(deadline.toString());
        assertThat(changed.get("changes").get(0).get("to").asText()).isEqualTo(later.toString());
    }

    @Test
    void the_same_moment_written_another_way_is_no_change() throws Exception {
        ObjectNode t = task(702, "cn-hangzhou", Instant.parse("2026-12-05T10:00:00Z"));
        simulator.withTasks(List.of(t));
        cycle();

        t.put("Deadline", "2026-12-05T18:00:00.000+08:00");
        cycle();

        assertThat(ids(alerts())).containsExactly("702/urgent");
    }

    @Test
    void crossing_each_reminder_stage_gives_one_reminder() throws Exception {
        Instant deadline = T0.plus(Duration.ofHours(25));
        simulator.withTasks(List.of(task(801, "cn-hangzhou", deadline)));
        cycle();
        clock.advance(Duration.ofMinutes(30));
        cycle();
        assertThat(ids(alerts())).containsExactly("801/urgent");

        clock.advance(Duration.ofMinutes(40));
        cycle();
        clock.advance(Duration.ofMinutes(5));
        cycle();
        assertThat(ids(alerts())).containsExactly("801/urgent", "801/reminder/24h@" + deadline);

        clock.advance(Duration.ofHours(23));
        cycle();
        cycle();
        assertThat(ids(alerts())).containsExactly("801/urgent", "801/reminder/24h@" + deadline,
                "801/reminder/2h@" + deadline);
        assertThat(alerts().get(2).get("stage").asText()).isEqualTo("2h");
        assertThat(alerts().get(2).get("kind").asText()).isEqualTo("reminder");
    }

    @Test
    void a_task_first_seen_inside_a_stage_gets_one_urgent_alert_not_a_burst() throws Exception {
        simulator.withTasks(List.of(task(901, "cn-hangzhou", T0.plus(Duration.ofMinutes(90)))));
        cycle();
        clock.advance(Duration.ofMinutes(10));
        cycle();

        assertThat(ids(alerts())).containsExactly("901/urgent");
    }

    @Test
    void stages_crossed_while_the_daemon_was_down_give_one_reminder_the_nearest() throws Exception {
        Instant deadline = T0.plus(Duration.ofHours(48));
        simulator.withTasks(List.of(task(911, "cn-hangzhou", deadline)));
        cycle();
        clock.advance(Duration.ofHours(47));
        cycle();
        cycle();

        assertThat(ids(alerts())).containsExactly("911/urgent", "911/reminder/2h@" + deadline);
    }

    @Test
    void a_sink_that_fails_keeps_every_alert_pending_and_delivers_each_once_when_it_recovers() throws Exception {
        simulator.withTasks(List.of(task(1001, "cn-hangzhou", T0.plus(Duration.ofHours(5))),
                task(1002, "cn-hangzhou", T0.plus(Duration.ofHours(6))),
                task(1003, "cn-beijing", T0.plus(Duration.ofHours(7)))));
        Files.writeString(dir.resolve("alerts"), "a file where the sink's folder should be");

        CycleReport down = cycle();
        assertThat(down.ok()).isFalse();
        // The file sink takes its pending alerts as one group: the three fail together.
        assertThat(down.sinks().get("file").failed()).isEqualTo(3);
        assertThat(down.sinks().get("file").pending()).isEqualTo(3);

        Files.delete(dir.resolve("alerts"));
        CycleReport up = cycle();
        cycle();

        assertThat(up.ok()).isTrue();
        assertThat(up.sinks().get("file").delivered()).isEqualTo(3);
        assertThat(ids(alerts())).containsExactlyInAnyOrder("1001/urgent", "1002/urgent", "1003/urgent");
    }

    @Test
    void resolved_tasks_are_forgotten_after_the_retention() throws Exception {
        ObjectNode t = task(1101, "cn-hangzhou", T0.plus(Duration.ofHours(30)));
        simulator.withTasks(List.of(t, task(1102, "cn-hangzhou", T0.plus(Duration.ofDays(40)))));
        cycle();
        t.put("Status", 7);
        cycle();
        assertThat(remembered()).containsOnlyKeys("1101");

        clock.advance(Duration.ofDays(29));
        cycle();
        assertThat(remembered()).containsOnlyKeys("1101");
        clock.advance(Duration.ofDays(2));
        cycle();
        assertThat(remembered()).isEmpty();
        assertThat(ids(alerts())).containsExactly("1101/urgent", "1101/resolved");
    }

    private Map<String, ?> remembered() {
        try (SqliteAlertLedger ledger = SqliteAlertLedger.open(dir.resolve("state"), Harness.MAPPER)) {
            return ledger.tasks();
        }
    }
}
