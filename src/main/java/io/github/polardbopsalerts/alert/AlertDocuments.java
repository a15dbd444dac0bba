package io.github.polardbopsalerts.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.api.ActiveOperationTask;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Builds the v1 alert document the sinks carry: the fields people read first, and the API item unchanged. */
public final class AlertDocuments {

    public static final String SCHEMA = "polardb-ops-alerts/alert/v1";

    private final ObjectMapper mapper;

    public AlertDocuments(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public ObjectNode document(String alertId, String kind, ActiveOperationTask task, List<String> reasons,
            Instant now) {
        Instant detected = now.truncatedTo(ChronoUnit.SECONDS);
        Instant deadline = UrgencyRule.parseInstant(task.deadline());
        Instant switchTime = UrgencyRule.parseInstant(task.switchTime());
        ObjectNode doc = mapper.createObjectNode();
        doc.put("schema", SCHEMA);
        doc.put("alertId", alertId);
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
}
