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

    /**
     * The API's usual form, yyyy-MM-ddTHH:mm:ssZ, read digit by digit: a cycle reads several times per
     * task, and the general parser costs more than the rest of the rule. Null for any other form.
     */
    static Instant parseUtcSeconds(String t) {
        if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        return java.time.LocalDateTime.of(year, month, day, hour, minute, second).toInstant(java.time.ZoneOffset.UTC);
    }

    private static int digits(String t, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** An ISO-8601 instant with Z or an offset, seconds and fractions optional; null when unreadable. */
    public static Instant parseInstant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant fast = parseUtcSeconds(text);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
