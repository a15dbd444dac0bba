package io.github.polardbopsalerts.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One item of DescribeActiveOperationTasks. The raw JSON object is kept whole, so fields this version
 * does not know reach the alert document unchanged; the accessors read the fields the rules need.
 */
public record ActiveOperationTask(String polledRegion, ObjectNode raw) {

    /** TaskId as a number, or null when the API gave none or something else. */
    public Long taskId() {
        JsonNode id = raw.get("TaskId");
        if (id == null || id.isNull()) {
            return null;
        }
        if (id.canConvertToLong()) {
            return id.asLong();
        }
        try {
            return Long.parseLong(id.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** What identifies the task across cycles: its TaskId, or region:cluster:type when it has none. */
    public String taskKey() {
        Long id = taskId();
        return id != null ? id.toString() : region() + ":" + dbClusterId() + ":" + taskType();
    }

    /** The task's own Region, or the region that was polled when the item has none. */
    public String region() {
        String own = text("Region");
        return own != null ? own : polledRegion;
    }

    public String dbClusterId() {
        return text("DBClusterId");
    }

    public String taskType() {
        return text("TaskType");
    }

    public String changeLevel() {
        return text("ChangeLevel");
    }

    public String deadline() {
        return text("Deadline");
    }

    public String switchTime() {
        return text("SwitchTime");
    }

    /** Status as an integer, or null when missing or not a number. */
    public Integer status() {
        return integer("Status");
    }

    /** AllowCancel as 0 or 1 (the API sends it as a string), or null when missing. */
    public Integer allowCancel() {
        return integer("AllowCancel");
    }

    public Integer allowChange() {
        return integer("AllowChange");
    }

    /** A text field, or null when missing, null or blank. */
    public String text(String field) {
        JsonNode v = raw.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s.isBlank() ? null : s;
    }

    private Integer integer(String field) {
        String s = text(field);
        if (s == null) {
            return null;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
