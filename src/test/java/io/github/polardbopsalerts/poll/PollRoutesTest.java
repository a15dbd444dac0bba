package io.github.polardbopsalerts.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.Harness;
import io.github.polardbopsalerts.api.ApiCredential;
import io.github.polardbopsalerts.simulator.Fault;
import io.github.polardbopsalerts.simulator.PolarDbSimulator;
import io.github.polardbopsalerts.simulator.TaskGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poll routes (routes/poll.camel.yaml, errors.camel.yaml) against the simulator over HTTP. */
class PollRoutesTest {

    @TempDir
    Path dir;
    PolarDbSimulator simulator;
    Map<String, String> settings;

    @BeforeEach
    void startSimulator() throws Exception {
        simulator = new PolarDbSimulator(Clock.systemUTC()).withCredential(Harness.CREDENTIAL).start();
        settings = Harness.settings(simulator, dir);
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    private List<ObjectNode> generate(List<String> regions, int perRegion) {
        return new TaskGenerator(Harness.MAPPER).generate(7, regions, perRegion, Instant.now());
    }

    /** The contract's rule, written out independently of UrgencyRule, over the simulator's data. */
    private static Set<Long> expectedUrgent(List<ObjectNode> tasks, Instant now) {
        return tasks.stream().filter(t -> {
            boolean mustAct = t.get("ChangeLevel").asText().equals("S0") || t.get("AllowCancel").asText().equals("0");
            boolean waiting = t.get("Status").asInt() <= 3;
            String d = t.get("Deadline").asText();
            boolean near = d.isEmpty() || !Instant.parse(d).isAfter(now.plus(Duration.ofHours(72)));
            return mustAct && waiting && near;
        }).map(t -> t.get("TaskId").asLong()).collect(Collectors.toSet());
    }

    @Test
    void pages_until_total_record_count_is_covered_and_alerts_exactly_the_urgent_tasks() throws Exception {
        List<ObjectNode> tasks = generate(List.of("cn-hangzhou"), 256);
        simulator.withTasks(tasks);
        settings.put("polardb.page-size", "30");

        CycleReport report = Harness.runOnce(settings);

        assertThat(report.ok()).isTrue();
        assertThat(report.regions().get("cn-hangzhou").pages()).isEqualTo(9);
        assertThat(report.regions().get("cn-hangzhou").tasks()).isEqualTo(256);
        // Page 1 first; the rest in waves of polardb.max-concurrency pages fetched together.
        assertThat(simulator.acceptedQueries().get(0).get("PageNumber")).isEqualTo("1");
        assertThat(simulator.acceptedQueries()).extracting(q -> q.get("PageNumber"))
                .containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7", "8", "9");
        Set<Long> alerted = Harness.alerts(dir).stream().map(a -> a.get("taskId").asLong()).collect(Collectors.toSet());
        assertThat(alerted).isEqualTo(expectedUrgent(tasks, Instant.now()));
        assertThat(Harness.alerts(dir)).hasSize(alerted.size());
        assertThat(report.urgent()).isEqualTo(alerted.size());
        assertThat(report.sinks().get("file").delivered()).isEqualTo(alerted.size());
        assertThat(Files.readString(dir.resolve("state/last-cycle.json"))).contains("\"ok\" : true");
    }

    @Test
    void sends_every_request_filter_of_the_configuration() throws Exception {
        settings.put("polardb.task-type", "DatabaseHardwareMaintenance");
        settings.put("polardb.db-type", "MySQL");
        settings.put("polardb.status", "3");
        settings.put("polardb.change-level", "S0");
        settings.put("polardb.allow-cancel", "0");
        settings.put("polardb.allow-change", "1");
        settings.put("polardb.db-cluster-id", "pc-abc");
        settings.put("polardb.page-size", "50");

        Harness.runOnce(settings);

        assertThat(simulator.acceptedQueries()).hasSize(1);
        assertThat(simulator.acceptedQueries().get(0)).containsAllEntriesOf(Map.of("RegionId", "cn-hangzhou",
                "TaskType", "DatabaseHardwareMaintenance", "DBType", "MySQL", "Status", "3", "ChangeLevel", "S0",
                "AllowCancel", "0", "AllowChange", "1", "DBClusterId", "pc-abc", "PageSize", "50",
                "PageNumber", "1"));
    }

    @Test
    void reads_page_one_then_the_rest_concurrently_never_more_than_max_concurrency_in_flight() throws Exception {
        simulator.withTasks(generate(List.of("cn-hangzhou"), 1000)).latency(Duration.ofMillis(40));
        settings.put("polardb.max-concurrency", "4");

        CycleReport report = Harness.runOnce(settings);

        assertThat(report.regions().get("cn-hangzhou").tasks()).isEqualTo(1000);
        assertThat(simulator.acceptedQueries()).hasSize(10);
        assertThat(simulator.acceptedQueries().get(0).get("PageNumber")).isEqualTo("1");
        // Never more than the cap; and the pages after page 1 did go out together.
        assertThat(simulator.maxConcurrentRequests()).isBetween(2, 4);
    }

    @Test
    void the_cap_on_requests_in_flight_holds_across_regions() throws Exception {
        List<String> regions = List.of("cn-hangzhou", "cn-beijing", "cn-shanghai", "ap-southeast-1", "eu-central-1");
        simulator.withTasks(generate(regions, 500)).latency(Duration.ofMillis(30));
        settings.put("polardb.regions", String.join(",", regions));
        settings.put("polardb.max-concurrency", "3");

        CycleReport report = Harness.runOnce(settings);

        assertThat(report.ok()).isTrue();
        assertThat(report.totalTasks()).isEqualTo(2500);
        assertThat(simulator.maxConcurrentRequests()).isBetween(2, 3);
    }

    @Test
    void stops_at_the_first_empty_page_even_if_total_record_count_claims_more() throws Exception {
        simulator.withTasks(generate(List.of("cn-hangzhou"), 120)).inflateTotalRecordCount(1_000_000);

        CycleReport report = Harness.runOnce(settings);

        assertThat(report.ok()).isTrue();
        // At most the wave that found the empty page (polardb.max-concurrency pages) past the data.
        assertThat(simulator.acceptedQueries()).extracting(q -> q.get("PageNumber"))
                .containsExactlyInAnyOrder("1", "2", "3", "4", "5");
        assertThat(report.regions().get("cn-hangzhou").tasks()).isEqualTo(120);
    }

    @Test
    void handles_a_task_seen_twice_when_pages_shift_while_they_are_read() throws Exception {
        List<ObjectNode> tasks = generate(List.of("cn-hangzhou"), 200);
        simulator.withTasks(tasks);
        ObjectNode early = tasks.get(0).deepCopy();
        early.put("TaskId", 1L);
        // Before page 2 is served, a task with a low TaskId appears: page 2 then repeats the last task of page 1.
        simulator.inject(Fault.run(() -> { }));
        simulator.inject(Fault.run(() -> simulator.tasks().add(early)));
        settings.put("alert.deadline-window", "36500d");
        settings.put("alert.change-levels", "S0,S1");
        settings.put("alert.statuses", "0,1,2,3,4,5,6,7");

        CycleReport report = Harness.runOnce(settings);

        List<Long> ids = Harness.alerts(dir).stream().map(a -> a.get("taskId").asLong()).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(report.regions().get("cn-hangzhou").tasks()).isEqualTo(ids.size());
        assertThat(ids).hasSize(200);
    }

    @Test
    void polls_several_regions_and_a_failing_region_does_not_stop_the_others() throws Exception {
        simulator.withTasks(generate(List.of("cn-hangzhou", "cn-beijing", "ap-southeast-1"), 150));
        settings.put("polardb.regions", "cn-hangzhou,cn-beijing,ap-southeast-1");
        settings.put("polardb.retry.max-attempts", "2");
        simulator.inject(Fault.serviceUnavailable().inRegion("cn-beijing"));
        simulator.inject(Fault.serviceUnavailable().inRegion("cn-beijing"));

        CycleReport report = Harness.runOnce(settings);

        assertThat(report.ok()).isFalse();
        assertThat(report.regions().get("cn-beijing").error().code()).isEqualTo("ServiceUnavailable");
        assertThat(report.regions().get("cn-beijing").error().requestId()).isNotBlank();
        assertThat(report.regions().get("cn-hangzhou").error()).isNull();
        assertThat(report.regions().get("cn-hangzhou").tasks()).isEqualTo(150);
        assertThat(report.regions().get("ap-southeast-1").tasks()).isEqualTo(150);
        assertThat(simulator.requestCount("cn-beijing")).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("state/last-cycle.json"))).contains("ServiceUnavailable");
    }

    @Test
    void retries_throttling_honouring_x_acs_retry_after() throws Exception {
        simulator.withTasks(generate(List.of("cn-hangzhou"), 10));
        simulator.inject(Fault.throttled(400));

        CycleReport report = Harness.runOnce(settings);

        assertThat(report.ok()).isTrue();
        List<Long> arrivals = simulator.acceptedArrivalNanos();
        assertThat(arrivals).hasSize(2);
        assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(380));
    }

    @Test
    void retries_5xx_malformed_bodies_timeouts_and_dropped_connections_then_succeeds() throws Exception {
        simulator.withTasks(generate(List.of("cn-hangzhou"), 130));
        settings.put("polardb.timeout", "300ms");
        simulator.inject(Fault.error(500, "InternalError", "The request processing has failed due to some unknown error."));
        simulator.inject(Fault.malformedBody());
        simulator.inject(Fault.delay(Duration.ofMillis(1500)));
        simulator.inject(Fault.dropConnection());

        CycleReport report = Harness.runOnce(settings);

        assertThat(report.ok()).as("report %s", report.regions()).isTrue();
        assertThat(report.regions().get("cn-hangzhou").tasks()).isEqualTo(130);
        assertThat(simulator.acceptedQueries()).extracting(q -> q.get("PageNumber"))
                .containsExactly("1", "1", "1", "1", "1", "2");
    }

    @Test
    void gives_up_after_max_attempts() throws Exception {
        settings.put("polardb.retry.max-attempts", "3");
        for (int i = 0; i < 5; i++) {
            simulator.inject(Fault.throttled(0));
        }

        CycleReport report = Harness.runOnce(settings);

        assertThat(report.ok()).isFalse();
        assertThat(simulator.acceptedRequestCount()).isEqualTo(3);
        assertThat(report.regions().get("cn-hangzhou").error().code()).isEqualTo("Throttling.User");
    }

    @Test
    void fails_a_bad_signature_at_once_with_code_message_and_request_id() throws Exception {
        simulator.withTasks(generate(List.of("cn-hangzhou"), 10));

        CycleReport report = Harness.runOnce(settings, new ApiCredential("test-key-id", "wrong-secret", null));

        assertThat(report.ok()).isFalse();
        assertThat(simulator.requestCount()).isEqualTo(1);
        CycleReport.RegionError error = report.regions().get("cn-hangzhou").error();
        assertThat(error.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(error.httpStatus()).isEqualTo(400);
        assertThat(error.describe()).contains("SignatureDoesNotMatch", "RequestId " + error.requestId());
        assertThat(Harness.alerts(dir)).isEmpty();
    }

    @Test
    void region_all_is_sent_as_region_id_all() throws Exception {
        simulator.withTasks(generate(List.of("cn-hangzhou", "cn-shanghai"), 40));
        settings.put("polardb.regions", "all");

        CycleReport report = Harness.runOnce(settings);

        assertThat(report.ok()).isTrue();
        assertThat(simulator.acceptedQueries().get(0)).containsEntry("RegionId", "all");
        assertThat(report.regions().get("all").tasks()).isEqualTo(80);
        assertThat(Harness.alerts(dir)).extracting(a -> a.get("region").asText())
                .contains("cn-hangzhou", "cn-shanghai").doesNotContain("all");
    }

    @Test
    void keeps_unknown_fields_of_the_api_item_in_the_alert_document() throws Exception {
        ObjectNode task = generate(List.of("cn-hangzhou"), 1).get(0);
        task.put("ChangeLevel", "S0").put("Status", 2).put("Deadline", "2020-01-01T00:00:00.000+08:00");
        task.putObject("FieldFromTheFuture").put("nested", true);
        simulator.withTasks(List.of(task));

        Harness.runOnce(settings);

        JsonNode alert = Harness.alerts(dir).get(0);
        assertThat(alert.get("schema").asText()).isEqualTo("polardb-ops-alerts/alert/v1");
        assertThat(alert.get("alertId").asText()).isEqualTo(task.get("TaskId").asLong() + "/urgent");
        assertThat(alert.get("deadline").asText()).isEqualTo("2019-12-31T16:00:00Z");
        assertThat(alert.get("secondsToDeadline").asLong()).isNegative();
        assertThat(alert.get("task").toString()).isEqualTo(task.toString());
    }
}
