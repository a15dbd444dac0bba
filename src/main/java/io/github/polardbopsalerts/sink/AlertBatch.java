package io.github.polardbopsalerts.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Several alerts a sink takes as one message (a chat digest); delivered, or not, together. */
public record AlertBatch(List<ObjectNode> alerts, int part, int parts) {

    public AlertBatch {
        alerts = List.copyOf(alerts);
    }

    public static AlertBatch of(ObjectNode alert) {
        return new AlertBatch(List.of(alert), 1, 1);
    }

    /** The alerts a sink's message carries: a batch's, or the one alert document; none for null. */
    public static List<ObjectNode> alertsIn(Object item) {
        if (item instanceof AlertBatch b) {
            return b.alerts();
        }
        return item == null ? List.of() : List.of((ObjectNode) item);
    }

    /** A name for logs: the alertId, or the first one and how many. */
    public String label() {
        String first = alerts.get(0).path("alertId").asText();
        return alerts.size() == 1 ? first : first + " and " + (alerts.size() - 1) + " more";
    }
}
