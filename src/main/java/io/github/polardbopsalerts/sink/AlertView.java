package io.github.polardbopsalerts.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.alert.UrgencyRule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An alert document as people read it: times in alert.time-zone, absolute and relative, the fields a DBA
 * needs by name, and every piece of text from the API with control characters taken out.
 */
public final class AlertView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ROOT);

    private final ObjectNode alert;
    private final JsonNode task;
    private final ZoneId zone;
    private final String consoleUrl;

    public AlertView(ObjectNode alert, ZoneId zone, String consoleUrlPattern) {
        this.alert = alert;
        this.task = alert.path("task");
        this.zone = zone;
        this.consoleUrl = consoleUrlPattern == null || consoleUrlPattern.isEmpty() ? null
                : consoleUrlPattern.replace("{region}", urlPart(text(alert, "region")))
                        .replace("{dbClusterId}", urlPart(text(alert, "dbClusterId")));
    }

    public String alertId() {
        return text(alert, "alertId");
    }

    public String kind() {
        return text(alert, "kind");
    }

    public String taskKey() {
        String id = alertId();
        int slash = id.indexOf('/');
        return slash < 0 ? id : id.substring(0, slash);
    }

    /** The ChangeLevel (S0, S1), or "?" when the API gave none. */
    public String level() {
        String level = text(task, "ChangeLevel");
        return level.isEmpty() ? "?" : level;
    }

    public String cluster() {
        String c = text(alert, "dbClusterId");
        return c.isEmpty() ? "(no cluster id)" : c;
    }

    public String alias() {
        return text(task, "InsComment");
    }

    public String taskType() {
        String t = text(alert, "taskType");
        return t.isEmpty() ? "maintenance" : t;
    }

    public Instant deadline() {
        return UrgencyRule.parseInstant(text(alert, "deadline"));
    }

    public Instant switchTime() {
        return UrgencyRule.parseInstant(text(alert, "switchTime"));
    }

    public Instant detectedAt() {
        Instant at = UrgencyRule.parseInstant(text(alert, "detectedAt"));
        return at == null ? Instant.EPOCH : at;
    }

    /** e.g. [PolarDB S0][action required] pc-x (orders) DatabaseSoftwareUpgrading: deadline in 5 h, 2026-12-05 18:00 CST */
    public String subject() {
        StringBuilder s = new StringBuilder("[PolarDB ").append(level()).append("][").append(tag()).append("] ")
                .append(cluster());
        if (!alias().isEmpty()) {
            s.append(" (").append(alias()).append(')');
        }
        s.append(' ').append(taskType()).append(": ");
        if ("resolved".equals(kind())) {
            s.append(resolutionText());
        } else {
            s.append(deadlineSummary());
            if ("changed".equals(kind()) && !changedFields().isEmpty()) {
                s.append(" (").append(String.join(", ", changedFields())).append(" changed)");
            }
        }
        return oneLine(s.toString());
    }

    private String tag() {
        return switch (kind()) {
            case "urgent" -> "action required";
            case "reminder" -> "reminder " + text(alert, "stage");
            case "changed" -> "changed";
            case "resolved" -> "resolved";
            case "test" -> "test";
            default -> kind();
        };
    }

    public String deadlineSummary() {
        Instant d = deadline();
        if (d == null) {
            return "deadline unknown";
        }
        return "deadline " + relative(d) + ", " + format(d);
    }

    /** An urgent alert about a task listed again after a resolved alert said it was gone. */
    public boolean reopened() {
        return !text(alert, "reopenedAfter").isEmpty();
    }

    public String resolutionText() {
        return switch (text(alert, "resolution")) {
            case "SUCCEEDED" -> "done (succeeded)";
            case "FAILED" -> "ended (failed)";
            case "CANCELLED" -> "cancelled";
            case "GONE" -> "no longer listed by the API";
            default -> "resolved";
        };
    }

    /** "in 5 h", "in 2 d 3 h", "in 40 min", "passed 2 h ago", relative to when the alert was made. */
    public String relative(Instant t) {
        Duration d = Duration.between(detectedAt(), t);
        boolean past = d.isNegative();
        String amount = amount(d.abs());
        return past ? "passed " + amount + " ago" : "in " + amount;
    }

    private static String amount(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = d.toHours();
        if (hours < 48) {
            return hours + " h";
        }
        long h = hours % 24;
        return hours / 24 + " d" + (h == 0 ? "" : " " + h + " h");
    }

    public String format(Instant t) {
        return t == null ? "unknown" : TIME.format(t.atZone(zone));
    }

    private List<String> changedFields() {
        List<String> fields = new ArrayList<>();
        alert.path("changes").forEach(c -> fields.add(text(c, "field")));
        return fields;
    }

    /** Everything the templates show, by name. */
    public Map<String, Object> model() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", subject());
        m.put("kind", kind());
        m.put("headline", headline());
        m.put("alertId", alertId());
        m.put("taskId", text(alert, "taskId"));
        m.put("level", level());
        m.put("levelText", text(task, "ChangeLevelEn"));
        m.put("reasons", String.join(", ", strings(alert.path("reasons"))));
        m.put("cluster", cluster());
        m.put("alias", alias());
        m.put("region", text(alert, "region"));
        m.put("zone", text(task, "CurrentAVZ"));
        m.put("taskType", taskType());
        m.put("taskTypeEn", text(task, "TaskTypeEn"));
        m.put("taskTypeZh", text(task, "TaskTypeZh"));
        m.put("impact", firstOf(text(task, "ImpactEn"), text(task, "Impact")));
        m.put("impactZh", text(task, "ImpactZh"));
        m.put("switchTime", format(switchTime()));
        m.put("switchTimeRelative", switchTime() == null ? "" : relative(switchTime()));
        m.put("deadline", format(deadline()));
        m.put("deadlineRelative", deadline() == null ? "" : relative(deadline()));
        m.put("prepareInterval", text(task, "PrepareInterval"));
        m.put("canChangeTime", yesNo(text(task, "AllowChange")));
        m.put("canCancel", yesNo(text(task, "AllowCancel")));
        m.put("engine", text(task, "DBType"));
        m.put("version", text(task, "DBVersion"));
        m.put("nodeIds", String.join(", ", strings(task.path("DBNodeIds"))));
        m.put("status", text(task, "Status"));
        m.put("consoleUrl", consoleUrl == null ? "" : consoleUrl);
        m.put("detectedAt", format(detectedAt()));
        List<Map<String, String>> changes = new ArrayList<>();
        alert.path("changes").forEach(c -> changes.add(Map.of("field", text(c, "field"),
                "from", timeOrText(text(c, "from")), "to", timeOrText(text(c, "to")))));
        m.put("changes", changes);
        m.put("hasChanges", !changes.isEmpty());
        m.put("resolution", "resolved".equals(kind()) ? resolutionText() : "");
        return m;
    }

    /** One line saying what happened and what to do. */
    public String headline() {
        return switch (kind()) {
            case "urgent" -> reopened()
                    ? "Listed again after it was reported gone, and you must act on it: " + deadlineSummary() + "."
                    : "Maintenance you must act on: " + deadlineSummary() + ".";
            case "reminder" -> "Reminder, " + text(alert, "stage") + " stage: " + deadlineSummary() + ".";
            case "changed" -> "This maintenance task changed: " + deadlineSummary() + ".";
            case "resolved" -> "This maintenance task is " + resolutionText() + ". Nothing more to do.";
            case "test" -> "A test message from polardb-ops-alerts; no action needed.";
            default -> deadlineSummary();
        };
    }

    private String timeOrText(String value) {
        Instant t = UrgencyRule.parseInstant(value);
        if (t != null) {
            return format(t);
        }
        return value.isEmpty() ? "(none)" : value;
    }

    private static String yesNo(String flag) {
        return switch (flag) {
            case "1" -> "yes";
            case "0" -> "no";
            default -> "unknown";
        };
    }

    private static String firstOf(String a, String b) {
        return a.isEmpty() ? b : a;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(n -> out.add(oneLine(n.asText())));
        } else if (!array.isMissingNode() && !array.isNull()) {
            out.add(oneLine(array.asText()));
        }
        return out;
    }

    /** A field's text with control characters removed, or "" when missing or null. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull() || v.isContainerNode()) {
            return "";
        }
        return oneLine(v.asText());
    }

    /** CR, LF and every other control character become spaces: nothing from the API breaks a line. */
    public static String oneLine(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return out.toString().trim();
    }

    private static String urlPart(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
