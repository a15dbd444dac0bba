package io.github.polardbopsalerts.sink.mail;

import static org.assertj.core.api.Assertions.assertThat;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.polardbopsalerts.Harness;
import io.github.polardbopsalerts.TestClock;
import io.github.polardbopsalerts.poll.CycleReport;
import io.github.polardbopsalerts.simulator.PolarDbSimulator;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mail sink over real SMTP: GreenMail as the server, a TLS front for STARTTLS and implicit TLS. */
class MailSinkTest {

    static final Instant T0 = Instant.parse("2026-12-05T05:00:00Z");
    static final String USER = "alerts";
    static final String PASSWORD = "smtp-Pa55-word";

    @TempDir
    Path dir;
    TestClock clock = new TestClock(T0);
    PolarDbSimulator simulator;
    GreenMail greenMail;
    Map<String, String> settings;
    ObjectNode task;

    @BeforeEach
    void start() throws Exception {
        simulator = new PolarDbSimulator(clock).withCredential(Harness.CREDENTIAL).start();
        task = hostileTask();
        simulator.withTasks(List.of(task));
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("dba@example.com", USER, PASSWORD));
        greenMail.start();
        settings = Harness.settings(simulator, dir);
        settings.put("sink.mail.enabled", "true");
        settings.put("sink.mail.host", "127.0.0.1");
        settings.put("sink.mail.port", Integer.toString(greenMail.getSmtp().getPort()));
        settings.put("sink.mail.security", "none");
        settings.put("sink.mail.from", "alerts@example.com");
        settings.put("sink.mail.to", "dba@example.com, oncall@example.com");
        settings.put("alert.time-zone", "Asia/Shanghai");
    }

    @AfterEach
    void stop() {
        greenMail.stop();
        simulator.close();
    }

    /** An S0 task whose free text tries to break the headers and the HTML. */
    private static ObjectNode hostileTask() {
        ObjectNode t = Harness.MAPPER.createObjectNode();
        t.put("TaskId", 4242);
        t.put("Region", "cn-hangzhou");
        t.put("DBClusterId", "pc-abc123");
        t.put("InsComment", "订单库\r\nBcc: thief@evil.example <b>bold</b>");
        t.put("CurrentAVZ", "cn-hangzhou-k");
        t.put("TaskType", "DatabaseSoftwareUpgrading");
        t.put("TaskTypeEn", "Database software upgrade");
        t.put("TaskTypeZh", "数据库软件升级");
        t.put("ChangeLevel", "S0");
        t.put("ChangeLevelEn", "Threat fix");
        t.put("Status", 3);
        t.put("AllowCancel", "0");
        t.put("AllowChange", "1");
        t.put("DBType", "MySQL");
        t.put("DBVersion", "8.0");
        t.putArray("DBNodeIds").add("pi-node1").add("pi-node2");
        t.put("ImpactEn", "Transient disconnection");
        t.put("PrepareInterval", "04:00:00");
        t.put("SwitchTime", "2026-12-05T08:00:00Z");
        t.put("Deadline", "2026-12-05T10:00:00Z");
        return t;
    }

    private CycleReport cycle() throws Exception {
        return Harness.runOnce(settings, clock);
    }

    private MimeMessage[] received() {
        return greenMail.getReceivedMessagesForDomain("example.com");
    }

    private static String partText(BodyPart part) throws Exception {
        return (String) part.getContent();
    }

    @Test
    void an_urgent_alert_arrives_as_one_message_with_text_html_and_a_calendar_event() throws Exception {
        CycleReport report = cycle();

        assertThat(report.sinks().get("mail").delivered()).isEqualTo(1);
        MimeMessage[] copies = received();
        assertThat(copies).hasSize(2);
        MimeMessage m = copies[0];
        assertThat(m.getMessageID()).isEqualTo(copies[1].getMessageID());
        assertThat(m.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
                .containsExactly("dba@example.com", "oncall@example.com");
        assertThat(m.getSubject()).isEqualTo("[PolarDB S0][action required] pc-abc123 (订单库  Bcc: thief@evil.example"
                + " <b>bold</b>) DatabaseSoftwareUpgrading: deadline in 5 h, 2026-12-05 18:00 CST");
        assertThat(m.getHeader("Subject")[0]).startsWith("=?UTF-8?").doesNotContain("\r\n\r\n");
        assertThat(m.getHeader("Bcc")).isNull();
        assertThat(m.getMessageID()).startsWith("<4242/urgent.").endsWith("@example.com>");
        assertThat(m.getHeader("In-Reply-To")).isNull();

        MimeMultipart mixed = (MimeMultipart) m.getContent();
        assertThat(mixed.getContentType()).startsWith("multipart/mixed");
        MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        String text = partText(alternative.getBodyPart(0));
        String html = partText(alternative.getBodyPart(1));
        assertThat(alternative.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(text).contains("Cluster:          pc-abc123 (订单库  Bcc: thief@evil.example <b>bold</b>)",
                "Region / zone:    cn-hangzhou / cn-hangzhou-k", "数据库软件升级", "Switch time:      2026-12-05 16:00 CST (in 3 h)",
                "Deadline:         2026-12-05 18:00 CST (in 5 h)", "Time changeable:  yes", "Cancelable:       no",
                "Engine:           MySQL 8.0", "Nodes:            pi-node1, pi-node2",
                "https://polardb.console.aliyun.com/cn-hangzhou/cluster/pc-abc123/basic");
        assertThat(html).contains("&lt;b&gt;bold&lt;/b&gt;").doesNotContain("<b>bold</b>")
                .contains("<a href=\"https://polardb.console.aliyun.com/cn-hangzhou/cluster/pc-abc123/basic\">");

        BodyPart ics = mixed.getBodyPart(1);
        assertThat(ics.getContentType()).startsWith("text/calendar").contains("method=PUBLISH");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        ics.getInputStream().transferTo(raw);
        ICalendar calendar = Biweekly.parse(raw.toString(java.nio.charset.StandardCharsets.UTF_8)).first();
        VEvent event = calendar.getEvents().get(0);
        assertThat(event.getUid().getValue()).isEqualTo("polardb-task-4242@example.com");
        assertThat(event.getDateStart().getValue()).isEqualTo(Date.from(Instant.parse("2026-12-05T08:00:00Z")));
        assertThat(event.getSummary().getValue()).contains("pc-abc123");
    }

    @Test
    void in_chinese_the_subject_body_and_calendar_read_in_chinese_and_stay_escaped() throws Exception {
        settings.put("alert.language", "zh");
        task.put("ChangeLevelZh", "风险修复");
        task.put("ImpactZh", "闪断");

        CycleReport report = cycle();

        assertThat(report.sinks().get("mail").delivered()).isEqualTo(1);
        MimeMessage m = received()[0];
        assertThat(m.getSubject()).isEqualTo("[PolarDB S0][需处理] pc-abc123 (订单库  Bcc: thief@evil.example"
                + " <b>bold</b>) 数据库软件升级：截止 2026-12-05 18:00 CST（5 小时后）");
        assertThat(m.getHeader("Subject")[0]).startsWith("=?UTF-8?");
        MimeMultipart mixed = (MimeMultipart) m.getContent();
        MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
        String text = partText(alternative.getBodyPart(0));
        String html = partText(alternative.getBodyPart(1));
        assertThat(text).startsWith("需要处理的运维任务：截止 2026-12-05 18:00 CST（5 小时后）。")
                .contains("集群：pc-abc123（订单库  Bcc: thief@evil.example <b>bold</b>）",
                        "任务：数据库软件升级（DatabaseSoftwareUpgrading）", "级别：S0（风险修复）；告警原因 S0, NOT_CANCELABLE",
                        "影响：闪断", "切换时间：2026-12-05 16:00 CST（3 小时后）", "可修改时间：是", "可取消：否",
                        "在 PolarDB 控制台打开集群：https://polardb.console.aliyun.com/cn-hangzhou/cluster/pc-abc123/basic",
                        "任务 4242，告警 4242/urgent，发现于 2026-12-05 13:00 CST。")
                .doesNotContain("Cluster", "Deadline");
        assertThat(html).contains("<html lang=\"zh\">", "<td style=\"color:#59636e;\">截止时间</td>",
                "&lt;b&gt;bold&lt;/b&gt;").doesNotContain("<b>bold</b>");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        mixed.getBodyPart(1).getInputStream().transferTo(raw);
        VEvent event = Biweekly.parse(raw.toString(java.nio.charset.StandardCharsets.UTF_8)).first().getEvents()
                .get(0);
        assertThat(event.getSummary().getValue()).startsWith("PolarDB S0 运维：pc-abc123");
    }

    @Test
    void later_messages_about_a_task_reply_to_the_first_and_name_their_kind() throws Exception {
        settings.put("sink.mail.to", "dba@example.com");
        cycle();
        String first = received()[0].getMessageID();
        task.put("Deadline", "2026-12-06T10:00:00Z");
        clock.advance(Duration.ofMinutes(5));
        cycle();
        task.put("Status", 7);
        clock.advance(Duration.ofMinutes(5));
        cycle();

        MimeMessage[] all = received();
        assertThat(all).hasSize(3);
        assertThat(all[1].getSubject()).startsWith("[PolarDB S0][changed] pc-abc123")
                .endsWith("deadline in 28 h, 2026-12-06 18:00 CST (Deadline changed)");
        assertThat(all[2].getSubject()).startsWith("[PolarDB S0][resolved] pc-abc123").endsWith(": cancelled");
        for (MimeMessage later : List.of(all[1], all[2])) {
            assertThat(later.getHeader("In-Reply-To")).containsExactly(first);
            assertThat(later.getHeader("References")).containsExactly(first);
        }
        String changedText = partText(((MimeMultipart) ((MimeMultipart) all[1].getContent()).getBodyPart(0).getContent())
                .getBodyPart(0));
        assertThat(changedText).contains("Deadline: 2026-12-05 18:00 CST -> 2026-12-06 18:00 CST");
        MimeMultipart cancelled = (MimeMultipart) all[2].getContent();
        assertThat(cancelled.getBodyPart(1).getContentType()).contains("method=CANCEL");
    }

    @Test
    void starttls_is_negotiated_before_authenticating() throws Exception {
        TestCertificate cert = TestCertificate.create(dir);
        try (SmtpFront front = new SmtpFront(SmtpFront.Mode.STARTTLS, greenMail.getSmtp().getPort(), cert.serverContext())) {
            useFront(front, "starttls", cert);

            CycleReport report = cycle();

            assertThat(report.sinks().get("mail").delivered()).as(report.toString()).isEqualTo(1);
            assertThat(received()).hasSize(2);
            assertThat(front.clientLines).anyMatch(l -> l.startsWith("AUTH"))
                    .noneMatch(l -> l.startsWith("PLAIN"));
        }
    }

    @Test
    void a_cycle_sends_its_messages_over_one_session_and_ends_it() throws Exception {
        for (long id = 4243; id <= 4246; id++) {
            ObjectNode more = task.deepCopy();
            more.put("TaskId", id);
            more.put("DBClusterId", "pc-" + id);
            simulator.tasks().add(more);
        }
        TestCertificate cert = TestCertificate.create(dir);
        try (SmtpFront front = new SmtpFront(SmtpFront.Mode.STARTTLS, greenMail.getSmtp().getPort(), cert.serverContext())) {
            useFront(front, "starttls", cert);

            CycleReport report = cycle();

            assertThat(report.sinks().get("mail").delivered()).as(report.toString()).isEqualTo(5);
            assertThat(received()).hasSize(10);
            assertThat(front.connections.get()).as("one TLS session for the cycle's five messages").isEqualTo(1);
            assertThat(front.clientLines.stream().filter(l -> l.startsWith("AUTH"))).hasSize(1);
            assertThat(front.clientLines.stream().filter(l -> l.startsWith("MAIL FROM"))).hasSize(5);
            assertThat(front.clientLines).as("the session is ended when the run is").last().isEqualTo("QUIT");

            task.put("Deadline", "2026-12-05T12:00:00Z");
            clock.advance(Duration.ofMinutes(5));
            cycle();
            assertThat(front.connections.get()).as("the next cycle opens a new session").isEqualTo(2);
            assertThat(received()).hasSize(12);
        }
    }

    @Test
    void implicit_tls_carries_the_authenticated_session() throws Exception {
        TestCertificate cert = TestCertificate.create(dir);
        try (SmtpFront front = new SmtpFront(SmtpFront.Mode.IMPLICIT_TLS, greenMail.getSmtp().getPort(),
                cert.serverContext())) {
            useFront(front, "ssl", cert);

            assertThat(cycle().sinks().get("mail").delivered()).isEqualTo(1);
            assertThat(received()).hasSize(2);
            assertThat(front.clientLines).anyMatch(l -> l.startsWith("AUTH"));
        }
    }

    @Test
    void a_wrong_password_is_refused_and_the_alert_stays_pending() throws Exception {
        TestCertificate cert = TestCertificate.create(dir);
        try (SmtpFront front = new SmtpFront(SmtpFront.Mode.IMPLICIT_TLS, greenMail.getSmtp().getPort(),
                cert.serverContext())) {
            useFront(front, "ssl", cert);
            settings.put("sink.mail.password", "wrong");

            CycleReport report = cycle();

            assertThat(report.sinks().get("mail").failed()).isEqualTo(1);
            assertThat(report.sinks().get("mail").pending()).isEqualTo(1);
            assertThat(received()).isEmpty();
        }
    }

    @Test
    void nothing_is_sent_to_a_server_that_does_not_offer_starttls() throws Exception {
        TestCertificate cert = TestCertificate.create(dir);
        try (SmtpFront front = new SmtpFront(SmtpFront.Mode.NO_STARTTLS, greenMail.getSmtp().getPort(), null)) {
            useFront(front, "starttls", cert);

            CycleReport report = cycle();

            assertThat(report.ok()).isFalse();
            assertThat(report.sinks().get("mail").pending()).isEqualTo(1);
            assertThat(front.clientLines).isNotEmpty().noneMatch(l -> l.startsWith("AUTH") || l.startsWith("MAIL"));
            assertThat(String.join("\n", front.clientLines)).doesNotContain(PASSWORD);
        }
    }

    @Test
    void smtp_down_then_up_delivers_exactly_once() throws Exception {
        settings.put("sink.mail.to", "dba@example.com");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        settings.put("sink.mail.port", Integer.toString(port));

        CycleReport down = cycle();
        assertThat(down.sinks().get("mail").failed()).isEqualTo(1);
        assertThat(down.sinks().get("mail").pending()).isEqualTo(1);
        assertThat(down.sinks().get("file").delivered()).as("the file sink is not held up").isEqualTo(1);

        GreenMail later = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        later.start();
        try {
            clock.advance(Duration.ofMinutes(5));
            CycleReport up = cycle();
            clock.advance(Duration.ofMinutes(5));
            cycle();

            assertThat(up.ok()).isTrue();
            assertThat(up.sinks().get("mail").delivered()).isEqualTo(1);
            assertThat(later.getReceivedMessages()).hasSize(1);
        } finally {
            later.stop();
        }
    }

    @Test
    void a_permanent_refusal_goes_to_the_dead_letter_file_once_and_is_not_retried() throws Exception {
        try (SmtpFront front = new SmtpFront(SmtpFront.Mode.REJECT_RECIPIENTS, 0, null)) {
            settings.put("sink.mail.port", Integer.toString(front.port()));

            CycleReport report = cycle();
            int connections = front.connections.get();
            clock.advance(Duration.ofMinutes(5));
            CycleReport next = cycle();

            assertThat(report.ok()).isFalse();
            assertThat(report.sinks().get("mail").failed()).isEqualTo(1);
            assertThat(report.sinks().get("mail").pending()).isZero();
            assertThat(connections).as("no retries of a 5xx").isEqualTo(1);
            assertThat(front.connections.get()).as("not tried again next cycle").isEqualTo(1);
            assertThat(next.ok()).isTrue();
            List<String> lines = Files.readAllLines(dir.resolve("state/dead-letter/mail.jsonl"));
            assertThat(lines).hasSize(1);
            JsonNode entry = Harness.MAPPER.readTree(lines.get(0));
            assertThat(entry.get("alertId").asText()).isEqualTo("4242/urgent");
            assertThat(entry.get("reason").asText()).contains("550");
            assertThat(entry.get("alert").get("taskId").asLong()).isEqualTo(4242);
            assertThat(entry.get("message").asText()).contains("Subject: =?UTF-8?");
        }
    }

    @Test
    void a_temporary_refusal_is_retried_with_back_off_and_kept_pending() throws Exception {
        try (SmtpFront front = new SmtpFront(SmtpFront.Mode.DEFER_RECIPIENTS, 0, null)) {
            settings.put("sink.mail.port", Integer.toString(front.port()));

            CycleReport report = cycle();

            assertThat(front.connections.get()).as("sink.retry.max-attempts").isEqualTo(3);
            assertThat(report.sinks().get("mail").failed()).isEqualTo(1);
            assertThat(report.sinks().get("mail").pending()).isEqualTo(1);
            assertThat(dir.resolve("state/dead-letter/mail.jsonl")).doesNotExist();
        }
    }

    @Test
    void an_operator_template_folder_replaces_the_built_in_text_body() throws Exception {
        Path templates = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(templates.resolve("alert.txt.mustache"),
                "ACT NOW on {{cluster}} before {{deadline}}\n{{labels.deadline}}: {{deadline}}\n");
        settings.put("sink.mail.templates-dir", templates.toString());
        settings.put("alert.language", "zh");

        cycle();

        MimeMultipart alternative = (MimeMultipart) ((MimeMultipart) received()[0].getContent()).getBodyPart(0).getContent();
        assertThat(partText(alternative.getBodyPart(0)).strip().lines()).containsExactly(
                "ACT NOW on pc-abc123 before 2026-12-05 18:00 CST", "截止时间: 2026-12-05 18:00 CST");
        assertThat(partText(alternative.getBodyPart(1))).contains("<table", "截止时间");
    }

    private void useFront(SmtpFront front, String security, TestCertificate cert) {
        settings.put("sink.mail.port", Integer.toString(front.port()));
        settings.put("sink.mail.security", security);
        settings.put("sink.mail.username", USER);
        settings.put("sink.mail.password", PASSWORD);
        settings.put("sink.mail.trust-store", cert.trustStore.toString());
        settings.put("sink.mail.trust-store-password", TestCertificate.PASSWORD);
    }
}
