package io.github.polardbopsalerts.state;

import io.github.polardbopsalerts.alert.UrgencyRule;
import io.github.polardbopsalerts.api.ActiveOperationTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fields of a task whose change the on-call must hear about: Deadline, SwitchTime, AllowCancel and
 * ChangeLevel. Times are kept as instants, so the same moment written another way is no change.
 */
public record Fingerprint(String deadline, String switchTime, String allowCancel, String changeLevel) {

    public static Fingerprint of(ActiveOperationTask task) {
        return new Fingerprint(normalTime(task.deadline()), normalTime(task.switchTime()),
                task.text("AllowCancel"), task.changeLevel());
    }

    /** The Deadline as an instant, or null when missing or unreadable. */
    public Instant deadlineInstant() {
        return UrgencyRule.parseInstant(deadline);
    }

    /** One entry per field that differs from {@code before}, in the API's field names. */
    public List<FieldChange> changesSince(Fingerprint before) {
        List<FieldChange> out = new ArrayList<>(4);
        add(out, "Deadline", before.deadline, deadline);
        add(out, "SwitchTime", before.switchTime, switchTime);
        add(out, "AllowCancel", before.allowCancel, allowCancel);
        add(out, "ChangeLevel", before.changeLevel, changeLevel);
        return out;
    }

    /** A field that changed, with its value before and after (null when absent). */
    public record FieldChange(String field, String from, String to) {
    }

    private static void add(List<FieldChange> out, String field, String from, String to) {
        if (!Objects.equals(from, to)) {
            out.add(new FieldChange(field, from, to));
        }
    }

    private static String normalTime(String text) {
        Instant t = UrgencyRule.parseInstant(text);
        if (t != null) {
            return t.toString();
        }
        return text == null || text.isBlank() ? null : text.trim();
    }
}
