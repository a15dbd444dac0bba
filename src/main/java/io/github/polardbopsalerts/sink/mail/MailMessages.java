package io.github.polardbopsalerts.sink.mail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.api.Hashing;
import io.github.polardbopsalerts.sink.AlertView;
import io.github.polardbopsalerts.sink.Texts;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.Exchange;

/**
 * Renders an alert document as the on-call's message: subject that says what, where, how urgent and by
 * when; plain text and HTML alternatives; the calendar event; and a Message-ID derived from the alertId, so
 * later messages about a task reply to its first (urgent) one and a mail client shows one thread.
 */
public final class MailMessages {

    private final InternetAddress from;
    private final InternetAddress[] to;
    private final MailTemplates templates;
    private final CalendarEvents calendar;
    private final ZoneId zone;
    private final String consoleUrl;
    private final Clock clock;
    private final Texts texts;
    private final Session session = Session.getInstance(new Properties());

    public MailMessages(InternetAddress from, List<InternetAddress> to, MailTemplates templates, ZoneId zone,
            String consoleUrl, Clock clock, Texts texts) {
        this.texts = texts;
        this.from = from;
        this.to = to.toArray(InternetAddress[]::new);
        this.templates = templates;
        this.calendar = new CalendarEvents(domain(from));
        this.zone = zone;
        this.consoleUrl = consoleUrl;
        this.clock = clock;
    }

    /** The MIME message for the alert document in the body. */
    public MimeMessage render(Exchange exchange) throws MessagingException {
        return render(exchange.getMessage().getBody(ObjectNode.class));
    }

    public MimeMessage render(ObjectNode alert) throws MessagingException {
        AlertView view = new AlertView(alert, zone, consoleUrl, texts);
        Map<String, Object> model = view.model();
        String messageId = messageId(view.alertId());
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(from);
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject(view.subject(), "UTF-8");
        m.setSentDate(Date.from(clock.instant()));
        m.setHeader("Message-ID", messageId);
        boolean startsThread = "urgent".equals(view.kind()) && !view.reopened();
        if (!startsThread && !"test".equals(view.kind())) {
            String first = messageId(view.taskKey() + "/urgent");
            m.setHeader("In-Reply-To", first);
            m.setHeader("References", first);
        }
        m.setHeader("X-PolarDB-Alert-Id", AlertView.oneLine(view.alertId()));
        m.setHeader("Auto-Submitted", "auto-generated");

        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(templates.text(model), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(templates.html(model), "UTF-8", "html");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);

        Optional<byte[]> ics = calendar.event(view);
        if (ics.isEmpty()) {
            m.setContent(alternative);
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart body = new MimeBodyPart();
            body.setContent(alternative);
            mixed.addBodyPart(body);
            MimeBodyPart event = new MimeBodyPart();
            boolean cancel = new String(ics.get(), StandardCharsets.UTF_8).contains("METHOD:CANCEL");
            event.setDataHandler(new DataHandler(new ByteArrayDataSource(ics.get(),
                    "text/calendar; charset=UTF-8; method=" + (cancel ? "CANCEL" : "PUBLISH"))));
            event.setFileName("polardb-maintenance-" + view.taskKey().replaceAll("[^A-Za-z0-9._-]", "_") + ".ics");
            mixed.addBodyPart(event);
            m.setContent(mixed);
        }
        m.saveChanges();
        return m;
    }

    /** Stable per alertId: readable where the alertId allows, unique by a short hash. */
    String messageId(String alertId) {
        String local = alertId.replaceAll("[^A-Za-z0-9/._-]", ".");
        return "<" + local + "." + Hashing.sha256Hex(alertId.getBytes(StandardCharsets.UTF_8)).substring(0, 12)
                + "@" + domain(from) + ">";
    }

    private static String domain(InternetAddress address) {
        String a = address.getAddress();
        int at = a.lastIndexOf('@');
        return at < 0 ? "polardb-ops-alerts.invalid" : a.substring(at + 1);
    }
}
