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
    private final Texts texts;

    public AlertView(ObjectNode alert, ZoneId zone, String consoleUrlPattern, Texts texts) {
        this.texts = texts;
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
        return c.isEmpty() ? texts.get("value.no-cluster") : c;
    }

    public String alias() {
        return text(task, "InsComment");
    }

    public String taskType() {
        String t = text(alert, "taskType");
        return t.isEmpty() ? texts.get("value.maintenance") : t;
    }

    /** The task type in the reader's language where the API gave it, else its code. */
    public String taskTypeName() {
        String zh = text(task, "TaskTypeZh");
        return texts.chinese() && !zh.isEmpty() ? zh : taskType();
    }

    public Texts texts() {
        return texts;
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
        s.append(' ').append(taskTypeName()).append(texts.chinese() ? "：" : ": ");
        if ("resolved".equals(kind())) {
            s.append(resolutionText());
        } else {
            s.append(deadlineSummary());
            if ("changed".equals(kind()) && !changedFields().isEmpty()) {
                s.append(texts.chinese() ? "" : " ")
                        .append(texts.get("subject.changed-fields", String.join(", ", changedFields())));
            }
        }
        return oneLine(s.toString());
    }

    /** The kind as the subject's second bracket shows it: "action required", "reminder 2h", "resolved". */
    public String tag() {
        return switch (kind()) {
            case "urgent", "changed", "resolved", "test" -> texts.get("tag." + kind());
            case "reminder" -> texts.get("tag.reminder", text(alert, "stage"));
            default -> kind();
        };
    }

    public String deadlineSummary() {
        Instant d = deadline();
        if (d == null) {
            return texts.get("deadline.unknown");
        }
        return texts.get("deadline.summary", relative(d), format(d));
    }

    /** An urgent alert about a task listed again after a resolved alert said it was gone. */
    public boolean reopened() {
        return !text(alert, "reopenedAfter").isEmpty();
    }

    public String resolutionText() {
        return switch (text(alert, "resolution")) {
            case "SUCCEEDED", "FAILED", "CANCELLED", "GONE" -> texts.get("resolution." + text(alert, "resolution"));
            default -> texts.get("resolution.other");
        };
    }

    /** "in 5 h", "in 2 d 3 h", "in 40 min", "passed 2 h ago", relative to when the alert was made. */
    public String relative(Instant t) {
        Duration d = Duration.between(detectedAt(), t);
        boolean past = d.isNegative();
        String amount = amount(d.abs());
        return texts.get(past ? "relative.past" : "relative.future", amount);
    }

    private String amount(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 60) {
            return texts.get("amount.min", Long.toString(minutes));
        }
        long hours = d.toHours();
        if (hours < 48) {
            return texts.get("amount.h", Long.toString(hours));
        }
        long h = hours % 24;
        return h == 0 ? texts.get("amount.d", Long.toString(hours / 24))
                : texts.get("amount.dh", Long.toString(hours / 24), Long.toString(h));
    }

    public String format(Instant t) {
        return t == null ? texts.get("value.unknown") : TIME.format(t.atZone(zone));
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
        m.put("levelText", texts.chinese() ? firstOf(text(task, "ChangeLevelZh"), text(task, "ChangeLevelEn"))
                : text(task, "ChangeLevelEn"));
        m.put("reasons", String.join(", ", strings(alert.path("reasons"))));
        m.put("cluster", cluster());
        m.put("alias", alias());
        m.put("region", text(alert, "region"));
        m.put("zone", text(task, "CurrentAVZ"));
        m.put("taskType", taskType());
        m.put("taskTypeName", taskTypeName());
        m.put("taskTypeEn", text(task, "TaskTypeEn"));
        m.put("taskTypeZh", text(task, "TaskTypeZh"));
        m.put("impact", texts.chinese() ? firstOf(text(task, "ImpactZh"), firstOf(text(task, "ImpactEn"),
                text(task, "Impact"))) : firstOf(text(task, "ImpactEn"), text(task, "Impact")));
        m.put("impactZh", texts.chinese() ? "" : text(task, "ImpactZh"));
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
        m.put("labels", texts.labels());
        m.put("footer", texts.get("label.footer", text(alert, "taskId"), alertId(), format(detectedAt())));
        return m;
    }

    /** One line saying what happened and what to do. */
    public String headline() {
        return switch (kind()) {
            case "urgent" -> texts.get(reopened() ? "headline.reopened" : "headline.urgent", deadlineSummary());
            case "reminder" -> texts.get("headline.reminder", text(alert, "stage"), deadlineSummary());
            case "changed" -> texts.get("headline.changed", deadlineSummary());
            case "resolved" -> texts.get("headline.resolved", resolutionText());
            case "test" -> texts.get("headline.test");
            default -> deadlineSummary();
        };
    }

    private String timeOrText(String value) {
        Instant t = UrgencyRule.parseInstant(value);
        if (t != null) {
            return format(t);
        }
        return value.isEmpty() ? texts.get("value.none") : value;
    }

    private String yesNo(String flag) {
        return switch (flag) {
            case "1" -> texts.get("value.yes");
            case "0" -> texts.get("value.no");
            default -> texts.get("value.unknown");
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
