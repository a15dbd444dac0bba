package io.github.polardbopsalerts.alert;

import io.github.polardbopsalerts.api.ActiveOperationTask;
import io.github.polardbopsalerts.config.Settings;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The contract's rule: a task alerts when it is must-act (its ChangeLevel is listed, or it cannot be
 * cancelled), its Status is a waiting one, and its Deadline is within the window or already past.
 * A must-act task whose Deadline is missing or unreadable alerts too.
 */
public final class UrgencyRule {

    public static final String NOT_CANCELABLE = "NOT_CANCELABLE";
    public static final String DEADLINE_UNKNOWN = "DEADLINE_UNKNOWN";

    private final Set<String> changeLevels;
    private final boolean nonCancelable;
    private final Set<Integer> statuses;
    private final Duration window;

    public UrgencyRule(List<String> changeLevels, boolean nonCancelable, List<Integer> statuses, Duration window) {
        this.changeLevels = Set.copyOf(changeLevels);
        this.nonCancelable = nonCancelable;
        this.statuses = Set.copyOf(statuses);
        this.window = window;
    }

    public static UrgencyRule from(Settings s) {
        return new UrgencyRule(s.alertChangeLevels(), s.alertNonCancelable(), s.alertStatuses(), s.deadlineWindow());
    }

    /** Why a task is urgent; deadline is null when it was missing or unreadable. */
    public record Verdict(List<String> reasons, Instant deadline) {
        public boolean deadlineUnknown() {
            return deadline == null;
        }
    }

    public Optional<Verdict> evaluate(ActiveOperationTask task, Instant now) {
        List<String> reasons = new ArrayList<>(3);
        String level = task.changeLevel();
        if (level != null && changeLevels.contains(level)) {
            reasons.add(level);
        }
        Integer allowCancel = task.allowCancel();
        if (nonCancelable && allowCancel != null && allowCancel == 0) {
            reasons.add(NOT_CANCELABLE);
        }
        if (reasons.isEmpty()) {
            return Optional.empty();
        }
        Integer status = task.status();
        if (status == null || !statuses.contains(status)) {
            return Optional.empty();
        }
        Instant deadline = parseInstant(task.deadline());
        if (deadline == null) {
            reasons.add(DEADLINE_UNKNOWN);
            return Optional.of(new Verdict(List.copyOf(reasons), null));
        }
        if (Duration.between(now, deadline).compareTo(window) > 0) {
            return Optional.empty();
        }
        return Optional.of(new Verdict(List.copyOf(reasons), deadline));
    }

    /** An ISO-8601 instant with Z or an offset, seconds and fractions optional; null when unreadable. */
    public static Instant parseInstant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
