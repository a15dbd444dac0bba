package io.github.polardbopsalerts.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.api.ActiveOperationTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UrgencyRuleTest {

    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    final UrgencyRule rule = new UrgencyRule(List.of("S0"), true, List.of(0, 1, 2, 3), Duration.ofHours(72));

    static ActiveOperationTask task(String level, String allowCancel, int status, String deadline) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("TaskId", 1).put("ChangeLevel", level).put("AllowCancel", allowCancel).put("Status", status);
        if (deadline != null) {
            n.put("Deadline", deadline);
        }
        return new ActiveOperationTask("cn-hangzhou", n);
    }

    @Test
    void s0_or_non_cancelable_waiting_tasks_near_their_deadline_alert() {
        assertThat(rule.evaluate(task("S0", "1", 3, "2026-12-05T12:00:00Z"), NOW)).get()
                .extracting(UrgencyRule.Verdict::reasons).isEqualTo(List.of("S0"));
        assertThat(rule.evaluate(task("S1", "0", 0, "2026-12-05T12:00:00Z"), NOW)).get()
                .extracting(UrgencyRule.Verdict::reasons).isEqualTo(List.of("NOT_CANCELABLE"));
        assertThat(rule.evaluate(task("S0", "0", 2, "2026-12-05T12:00:00Z"), NOW)).get()
                .extracting(UrgencyRule.Verdict::reasons).isEqualTo(List.of("S0", "NOT_CANCELABLE"));
    }

    @Test
    void cancelable_s1_running_or_far_tasks_do_not() {
        assertThat(rule.evaluate(task("S1", "1", 3, "2026-12-05T12:00:00Z"), NOW)).isEmpty();
        assertThat(rule.evaluate(task("S0", "1", 4, "2026-12-05T12:00:00Z"), NOW)).isEmpty();
        assertThat(rule.evaluate(task("S0", "1", 3, "2026-12-07T12:00:01Z"), NOW)).isEmpty();
    }

    @Test
    void the_window_edge_and_a_past_deadline_count() {
        assertThat(rule.evaluate(task("S0", "1", 3, "2026-12-07T12:00:00Z"), NOW)).isPresent();
        assertThat(rule.evaluate(task("S0", "1", 3, "2026-11-01T00:00:00Z"), NOW)).isPresent();
    }

    @Test
    void reads_deadlines_with_z_an_offset_or_fractional_seconds() {
        assertThat(UrgencyRule.parseInstant("2026-12-05T10:00:00Z")).isEqualTo("2026-12-05T10:00:00Z");
        assertThat(UrgencyRule.parseInstant("2026-12-05T18:00:00+08:00")).isEqualTo("2026-12-05T10:00:00Z");
        assertThat(UrgencyRule.parseInstant("2026-12-05T10:00:00.250Z")).isEqualTo("2026-12-05T10:00:00.250Z");
        assertThat(UrgencyRule.parseInstant("2026-12-05 10:00")).isNull();
        // The fast path for the API's usual form agrees with the general parser, and refuses what it refuses.
        assertThat(UrgencyRule.parseInstant("2024-02-29T23:59:59Z")).isEqualTo("2024-02-29T23:59:59Z");
        assertThat(UrgencyRule.parseInstant("2026-02-29T10:00:00Z")).isNull();
        assertThat(UrgencyRule.parseInstant("2026-13-05T10:00:00Z")).isNull();
        assertThat(UrgencyRule.parseInstant("2026-12-05T24:00:00Z")).isNull();
        assertThat(UrgencyRule.parseInstant("2026-12-0xT10:00:00Z")).isNull();
    }

    @Test
    void a_must_act_task_with_a_missing_or_unreadable_deadline_alerts_with_deadline_unknown() {
        assertThat(rule.evaluate(task("S0", "1", 3, null), NOW)).get()
                .satisfies(v -> assertThat(v.reasons()).containsExactly("S0", "DEADLINE_UNKNOWN"));
        assertThat(rule.evaluate(task("S1", "0", 3, "next tuesday"), NOW)).get()
                .satisfies(v -> assertThat(v.deadline()).isNull());
        assertThat(rule.evaluate(task("S1", "1", 3, null), NOW)).isEmpty();
    }
}
