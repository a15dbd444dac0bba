package io.github.polardbopsalerts.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.alert.AlertDocuments;
import io.github.polardbopsalerts.api.ActiveOperationTask;
import io.github.polardbopsalerts.api.Exchanges;
import io.github.polardbopsalerts.poll.CycleReport;
import io.github.polardbopsalerts.sink.AlertBatch;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.FluentProducerTemplate;

/** --send-test: one sample alert of kind "test" through every enabled sink's own route, and each result. */
public final class SendTest {

    private SendTest() {
    }

    /** The sample: a made-up S0 task 26 hours from its Deadline, clearly marked as a test. */
    public static ObjectNode sample(ObjectMapper mapper, Instant now) {
        Instant base = now.truncatedTo(ChronoUnit.SECONDS);
        ObjectNode t = mapper.createObjectNode();
        t.put("TaskId", 0);
        t.put("Region", "cn-hangzhou");
        t.put("DBClusterId", "pc-test00000000000");
        t.put("InsComment", "polardb-ops-alerts test");
        t.put("TaskType", "DatabaseSoftwareUpgrading");
        t.put("TaskTypeEn", "Database software upgrade");
        t.put("TaskTypeZh", "数据库软件升级");
        t.put("ChangeLevel", "S0");
        t.put("ChangeLevelEn", "Threat fix");
        t.put("ChangeLevelZh", "风险修复");
        t.put("Status", 3);
        t.put("AllowCancel", "0");
        t.put("AllowChange", "1");
        t.put("SwitchTime", base.plus(Duration.ofHours(24)).toString());
        t.put("Deadline", base.plus(Duration.ofHours(26)).toString());
        String id = "test/" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(base.atZone(java.time.ZoneOffset.UTC));
        return new AlertDocuments(mapper).document(id, "test", new ActiveOperationTask("cn-hangzhou", t), List.of(), now);
    }

    /** Sends the sample through each sink's route; returns, per sink, "ok" or why it failed. */
    public static Map<String, String> run(CamelContext context, List<String> sinks,
            java.util.function.Predicate<String> chatSink, ObjectNode alert) {
        Map<String, String> results = new LinkedHashMap<>();
        for (String sink : sinks) {
            CycleReport report = new CycleReport(Instant.now(), List.of());
            Object item = chatSink.test(sink) ? AlertBatch.of(alert) : alert;
            String route = io.github.polardbopsalerts.sink.Deliveries.route(sink);
            FluentProducerTemplate template = context.createFluentProducerTemplate();
            template.to("direct:deliver-" + route).withProcessor(e -> {
                e.getMessage().setBody(item);
                e.setProperty(Exchanges.CYCLE, report);
                e.setProperty(Exchanges.SINK, sink);
                e.setProperty(Exchanges.ALERT, item);
                e.setProperty(Exchanges.ALERT_ID, alert.path("alertId").asText());
            }).send();
            CycleReport.SinkReport r = report.sink(sink);
            results.put(sink, r.delivered() > 0 ? "ok"
                    : "FAILED: " + (r.lastError() == null ? "not delivered" : r.lastError()));
        }
        return results;
    }
}
