package io.github.polardbopsalerts.sink.mail;

import biweekly.Biweekly;
import io.github.polardbopsalerts.sink.AlertView;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import biweekly.property.Method;
import biweekly.property.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * The .ics attachment: an event at SwitchTime whose UID is the same for every message about a task, so a
 * calendar updates one entry; a later message carries a higher SEQUENCE, a cancelled task cancels it.
 */
public final class CalendarEvents {

    /** How long the entry lasts; the switch itself is a brief disconnection. */
    static final Duration LENGTH = Duration.ofMinutes(30);

    private final String domain;

    public CalendarEvents(String domain) {
        this.domain = domain;
    }

    /** The event for the alert, or empty when it has no SwitchTime or nothing to put in a calendar. */
    public Optional<byte[]> event(AlertView view) {
        Instant start = view.switchTime();
        boolean cancelled = "resolved".equals(view.kind()) && view.model().get("resolution").equals("cancelled");
        if (start == null || ("resolved".equals(view.kind()) && !cancelled) || "test".equals(view.kind())) {
            return Optional.empty();
        }
        ICalendar ical = new ICalendar();
        ical.setProductId("-//polardb-ops-alerts//maintenance//EN");
        ical.setMethod(cancelled ? Method.cancel() : Method.publish());
        VEvent event = new VEvent();
        event.setUid(uid(view));
        // Later messages must win: minutes since 2020 grow with every alert about the task.
        event.setSequence((int) ((view.detectedAt().getEpochSecond() - 1_577_836_800L) / 60));
        event.setDateTimeStamp(Date.from(view.detectedAt()));
        event.setDateStart(Date.from(start), true);
        event.setDateEnd(Date.from(start.plus(LENGTH)), true);
        event.setSummary(view.texts().get("calendar.summary", view.level(), view.cluster())
                + (view.alias().isEmpty() ? "" : " (" + view.alias() + ")") + " " + view.taskTypeName());
        event.setDescription(view.headline() + "\n" + view.texts().get("label.deadline") + ": "
                + view.format(view.deadline()) + "\nAlert: " + view.alertId());
        event.setStatus(cancelled ? Status.cancelled() : Status.confirmed());
        ical.addEvent(event);
        return Optional.of(Biweekly.write(ical).go().getBytes(StandardCharsets.UTF_8));
    }

    String uid(AlertView view) {
        return "polardb-task-" + view.taskKey().replaceAll("[^A-Za-z0-9._-]", "_") + "@" + domain;
    }
}
