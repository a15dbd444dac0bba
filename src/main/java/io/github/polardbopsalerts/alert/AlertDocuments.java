package io.github.polardbopsalerts.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.api.ActiveOperationTask;
import io.github.polardbopsalerts.api.Exchanges;
import io.github.polardbopsalerts.poll.CycleReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the urgency rule to a task and builds the v1 alert document the sinks carry. */
public final class AlertDocuments {

    public static final String SCHEMA = "polardb-ops-alerts/alert/v1";
    private static final Logger LOG = LoggerFactory.getLogger(AlertDocuments.class);

    private final UrgencyRule rule;
    private final Clock clock;
    private final ObjectMapper mapper;

    public AlertDocuments(UrgencyRule rule, Clock clock, ObjectMapper mapper) {
        this.rule = rule;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** The urgent alert for the task in the body, or null when the task is not urgent. */
    public ObjectNode urgent(Exchange exchange) {
        ActiveOperationTask task = exchange.getMessage().getBody(ActiveOperationTask.class);
        Instant now = clock.instant();
        Optional<UrgencyRule.Verdict> verdict = rule.evaluate(task, now);
        if (verdict.isEmpty()) {
            return null;
        }
        if (verdict.get().deadlineUnknown()) {
            LOG.warn("task {} of cluster {} in {} is must-act but its Deadline '{}' is missing or unreadable;"
                    + " alerting anyway", task.taskId(), task.dbClusterId(), task.region(),
                    task.deadline() == null ? "" : task.deadline());
        }
        CycleReport cycle = exchange.getProperty(Exchanges.CYCLE, CycleReport.class);
        if (cycle != null) {
            cycle.countUrgent();
        }
        ObjectNode doc = document("urgent", task, verdict.get().reasons(), now);
        exchange.setProperty(Exchanges.ALERT_ID, doc.get("alertId").asText());
        return doc;
    }

    /** The v1 document: stable alertId, the fields people read first, and the API item unchanged. */
    public ObjectNode document(String kind, ActiveOperationTask task, List<String> reasons, Instant now) {
        Instant detected = now.truncatedTo(ChronoUnit.SECONDS);
        Instant deadline = UrgencyRule.parseInstant(task.deadline());
        Instant switchTime = UrgencyRule.parseInstant(task.switchTime());
        ObjectNode doc = mapper.createObjectNode();
        doc.put("schema", SCHEMA);
        doc.put("alertId", alertId(task, kind));
        doc.put("kind", kind);
        ArrayNode r = doc.putArray("reasons");
        reasons.forEach(r::add);
        doc.put("region", task.region());
        doc.put("dbClusterId", task.dbClusterId());
        if (task.taskId() == null) {
            doc.putNull("taskId");
        } else {
            doc.put("taskId", task.taskId());
        }
        doc.put("taskType", task.taskType());
        doc.put("deadline", deadline == null ? null : deadline.toString());
        doc.put("switchTime", switchTime == null ? null : switchTime.toString());
        if (deadline == null) {
            doc.putNull("secondsToDeadline");
        } else {
            doc.put("secondsToDeadline", Duration.between(detected, deadline).toSeconds());
        }
        doc.put("detectedAt", detected.toString());
        doc.set("task", task.raw());
        return doc;
    }

    /** TaskId and kind; a task without a TaskId falls back to its cluster and task type. */
    static String alertId(ActiveOperationTask task, String kind) {
        String id = task.taskId() != null ? task.taskId().toString()
                : task.region() + ":" + task.dbClusterId() + ":" + task.taskType();
        return id + "/" + kind;
    }
}
