package io.github.polardbopsalerts.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.Harness;
import io.github.polardbopsalerts.TestClock;
import io.github.polardbopsalerts.poll.CycleReport;
import io.github.polardbopsalerts.simulator.PolarDbSimulator;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook sink against a real HTTP receiver on loopback. Each vendor's signature is checked here by
 * its documented algorithm, written out in the test, never by calling the code under test.
 */
class WebhookSinkTest {

    static final Instant T0 = Instant.parse("2026-12-05T05:00:00Z");
    static final String WHSEC = "whsec_" + Base64.getEncoder().encodeToString("test-webhook-key-0123456789".getBytes());

    @TempDir
    Path dir;
    TestClock clock = new TestClock(T0);
    PolarDbSimulator simulator;
    WebhookReceiver receiver;
    Map<String, String> settings;

    @BeforeEach
    void start() throws Exception {
        simulator = new PolarDbSimulator(clock).withCredential(Harness.CREDENTIAL).start();
        receiver = new WebhookReceiver("{\"ok\":true}");
        settings = Harness.settings(simulator, dir);
        settings.put("sink.webhook.enabled", "true");
        settings.put("alert.time-zone", "Asia/Shanghai");
    }

    @AfterEach
    void stop() {
        receiver.close();
        simulator.close();
    }

    private ObjectNode task(long id, String alias) {
        ObjectNode t = Harness.MAPPER.createObjectNode();
        t.put("TaskId", id);
        t.put("Region", "cn-hangzhou");
        t.put("DBClusterId", "pc-" + id);
        t.put("InsComment", alias);
        t.put("TaskType", "DatabaseHardwareMaintenance");
        t.put("TaskTypeZh", "硬件维护");
        t.put("ChangeLevel", "S0");
        t.put("Status", 3);
        t.put("AllowCancel", "0");
        t.put("AllowChange", "1");
        t.put("SwitchTime", "2026-12-05T08:00:00Z");
        t.put("Deadline", "2026-12-05T10:00:00Z");
        return t;
    }

    private List<ObjectNode> tasks(int n) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(task(7000 + i, "orders-" + i));
        }
        return out;
    }

    /** A named webhook posting to path on the receiver, in the format. */
    private void named(String name, String path, String format) {
        settings.put("sink.webhook." + name + ".url", receiver.url(path));
        settings.put("sink.webhook." + name + ".format", format);
    }

    private CycleReport cycle() throws Exception {
        return Harness.runOnce(settings, clock);
    }

    private static byte[] hmacSha256(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static Map<String, String> query(String uri) {
        Map<String, String> q = new HashMap<>();
        String raw = URI.create(uri).getRawQuery();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    @Test
    void each_team_room_gets_only_the_clusters_regions_and_levels_it_asked_for_and_their_follow_ups()
            throws Exception {
        ObjectNode orders = task(7101, "orders-prod");
        ObjectNode billing = task(7102, "billing-prod");
        ObjectNode beijing = task(7103, "orders-bj");
        beijing.put("Region", "cn-beijing");
        ObjectNode cannotCancel = task(7104, "search");
        cannotCancel.put("ChangeLevel", "S1");
        simulator.withTasks(List.of(orders, billing, beijing, cannotCancel));
        settings.put("polardb.regions", "cn-hangzhou,cn-beijing");
        settings.put("sink.webhook.names", "orders,hangzhou,threats");
        named("orders", "/orders", "generic");
        settings.put("sink.webhook.orders.clusters", "orders-*, pc-7104");
        named("hangzhou", "/hangzhou", "generic");
        settings.put("sink.webhook.hangzhou.regions", "cn-hangzhou");
        named("threats", "/threats", "generic");
        settings.put("sink.webhook.threats.change-levels", "S0");
        // A room that only wants pages: no resolved alerts, no changes.
        named("pages", "/pages", "generic");
        settings.put("sink.webhook.pages.kinds", "urgent, reminder");
        settings.put("sink.webhook.names", "orders,hangzhou,threats,pages");

        CycleReport report = cycle();
        orders.put("Status", 5);
        // Downgraded below the threats room's level: the room that had the page still hears of the change.
        billing.put("ChangeLevel", "S1");
        clock.advance(java.time.Duration.ofMinutes(5));
        cycle();

        assertThat(report.ok()).as(report.toString()).isTrue();
        Map<String, List<String>> byRoom = new HashMap<>();
        for (WebhookReceiver.Request r : receiver.requests) {
            byRoom.computeIfAbsent(r.uri(), k -> new ArrayList<>())
                    .add(Harness.MAPPER.readTree(r.body()).get("alertId").asText());
        }
        assertThat(byRoom.get("/orders")).containsExactlyInAnyOrder("7101/urgent", "7103/urgent", "7104/urgent",
                "7101/resolved");
        assertThat(byRoom.get("/hangzhou")).containsExactlyInAnyOrder("7101/urgent", "7102/urgent", "7104/urgent",
                "7101/resolved", "7102/changed/1");
        assertThat(byRoom.get("/threats")).containsExactlyInAnyOrder("7101/urgent", "7102/urgent", "7103/urgent",
                "7101/resolved", "7102/changed/1");
        assertThat(byRoom.get("/pages")).containsExactlyInAnyOrder("7101/urgent", "7102/urgent", "7103/urgent",
                "7104/urgent");
        assertThat(Harness.alerts(dir)).as("the file sink keeps everything").hasSize(6);
    }

    @Test
    void a_generic_webhook_gets_the_alert_document_signed_by_standard_webhooks() throws Exception {
        simulator.withTasks(List.of(task(7001, "orders")));
        settings.put("sink.webhook.url", receiver.url("/feed?team=dba&env=prod"));
        settings.put("sink.webhook.secret", WHSEC);

        CycleReport report = cycle();

        assertThat(report.sinks().get("webhook").delivered()).isEqualTo(1);
        WebhookReceiver.Request r = receiver.requests.get(0);
        assertThat(r.uri()).isEqualTo("/feed?team=dba&env=prod");
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode doc = Harness.MAPPER.readTree(r.body());
        assertThat(doc.get("schema").asText()).isEqualTo("polardb-ops-alerts/alert/v1");
        assertThat(doc.get("alertId").asText()).isEqualTo("7001/urgent");
        assertThat(r.header("webhook-id")).isEqualTo("7001/urgent");
        String ts = r.header("webhook-timestamp");
        assertThat(Long.parseLong(ts)).isEqualTo(T0.getEpochSecond());
        byte[] key = Base64.getDecoder().decode(WHSEC.substring(6));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                hmacSha256(key, ("7001/urgent." + ts + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(r.header("webhook-signature")).isEqualTo(expected);
    }

    @Test
    void two_503_answers_then_200_deliver_exactly_once() throws Exception {
        simulator.withTasks(List.of(task(7002, "orders")));
        settings.put("sink.webhook.url", receiver.url("/feed"));
        receiver.then(503, "busy", Map.of()).then(503, "busy", Map.of());

        CycleReport first = cycle();
        clock.advance(Duration.ofMinutes(5));
        CycleReport second = cycle();

        assertThat(receiver.requests).hasSize(3);
        assertThat(receiver.requests).extracting(WebhookReceiver.Request::body).allMatch(b -> b.contains("7002/urgent"));
        assertThat(first.ok()).isTrue();
        assertThat(first.sinks().get("webhook").delivered()).isEqualTo(1);
        assertThat(second.sinks().get("webhook").delivered()).isZero();
    }

    @Test
    void retry_after_on_429_is_honoured_and_then_delivered() throws Exception {
        simulator.withTasks(List.of(task(7003, "orders")));
        settings.put("sink.webhook.url", receiver.url("/feed"));
        settings.put("sink.retry.max-delay", "5s");
        receiver.then(429, "slow down", Map.of("Retry-After", "1"));

        cycle();

        assertThat(receiver.requests).hasSize(2);
        long gapMillis = (receiver.requests.get(1).atNanos() - receiver.requests.get(0).atNanos()) / 1_000_000;
        assertThat(gapMillis).as("waited as Retry-After asked").isGreaterThanOrEqualTo(900);
    }

    @Test
    void a_robot_asking_for_longer_than_a_retry_may_wait_is_left_alone_until_a_later_cycle() throws Exception {
        simulator.withTasks(List.of(task(7008, "orders")));
        settings.put("sink.webhook.url", receiver.url("/feed"));
        receiver.then(429, "slow down", Map.of("Retry-After", "120"));

        CycleReport report = cycle();

        assertThat(receiver.requests).hasSize(1);
        assertThat(report.sinks().get("webhook").pending()).isEqualTo(1);
        assertThat(report.sinks().get("webhook").delivered()).isZero();
    }

    @Test
    void forty_five_alerts_reach_dingtalk_within_its_limits_and_signed() throws Exception {
        String secret = "SEC" + "0123456789abcdef0123456789abcdef";
        simulator.withTasks(tasks(45));
        receiver.answerAlways("{\"errcode\":0,\"errmsg\":\"ok\"}");
        settings.put("sink.webhook.url", receiver.url("/robot/send?access_token=tok-123"));
        settings.put("sink.webhook.format", "dingtalk");
        settings.put("sink.webhook.secret", secret);

        CycleReport report = cycle();

        assertThat(report.ok()).isTrue();
        assertThat(report.sinks().get("webhook").delivered()).isEqualTo(45);
        assertThat(receiver.requests).hasSizeBetween(1, 20);
        Set<String> seen = new HashSet<>();
        for (WebhookReceiver.Request r : receiver.requests) {
            assertThat(r.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(20_000);
            Map<String, String> q = query(r.uri());
            assertThat(q.get("access_token")).isEqualTo("tok-123");
            long ts = Long.parseLong(q.get("timestamp"));
            String expected = Base64.getEncoder().encodeToString(hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
                    (ts + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
            assertThat(q.get("sign")).isEqualTo(expected);
            JsonNode body = Harness.MAPPER.readTree(r.body());
            assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
            String text = body.get("markdown").get("text").asText();
            for (int i = 0; i < 45; i++) {
                if (text.contains("task " + (7000 + i))) {
                    seen.add("7000" + i);
                }
            }
        }
        assertThat(seen).hasSize(45);
        List<Long> times = receiver.requests.stream().map(WebhookReceiver.Request::atNanos).sorted().toList();
        for (int i = 20; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 20)).isGreaterThanOrEqualTo(Duration.ofMinutes(1).toNanos());
        }
    }

    @Test
    void few_alerts_go_to_dingtalk_one_message_each() throws Exception {
        simulator.withTasks(tasks(3));
        receiver.answerAlways("{\"errcode\":0,\"errmsg\":\"ok\"}");
        settings.put("sink.webhook.url", receiver.url("/robot/send?access_token=tok"));
        settings.put("sink.webhook.format", "dingtalk");

        cycle();

        assertThat(receiver.requests).hasSize(3);
        String text = Harness.MAPPER.readTree(receiver.requests.get(0).body()).get("markdown").get("text").asText();
        assertThat(text).contains("Deadline: **2026-12-05 18:00 CST**", "硬件维护",
                "[PolarDB console](https://polardb.console.aliyun.com/cn-hangzhou/cluster/pc-700");
    }

    @Test
    void a_dingtalk_refusal_for_good_goes_to_the_dead_letter_file() throws Exception {
        simulator.withTasks(List.of(task(7004, "orders")));
        receiver.answerAlways("{\"errcode\":310000,\"errmsg\":\"keywords not in content\"}");
        settings.put("sink.webhook.url", receiver.url("/robot/send?access_token=secret-token-9"));
        settings.put("sink.webhook.format", "dingtalk");

        CycleReport report = cycle();
        clock.advance(Duration.ofMinutes(5));
        cycle();

        assertThat(receiver.requests).hasSize(1);
        assertThat(report.sinks().get("webhook").failed()).isEqualTo(1);
        String dead = Files.readString(dir.resolve("state/dead-letter/webhook.jsonl"));
        assertThat(dead).contains("310000", "keywords not in content", "7004/urgent").doesNotContain("secret-token-9");
    }

    @Test
    void feishu_gets_a_card_signed_in_the_body() throws Exception {
        String secret = "fs-secret-for-test";
        simulator.withTasks(List.of(task(7005, "<at user_id=\"all\">everyone</at>")));
        receiver.answerAlways("{\"code\":0,\"msg\":\"success\"}");
        settings.put("sink.webhook.url", receiver.url("/open-apis/bot/v2/hook/abc"));
        settings.put("sink.webhook.format", "feishu");
        settings.put("sink.webhook.secret", secret);

        assertThat(cycle().sinks().get("webhook").delivered()).isEqualTo(1);

        JsonNode body = Harness.MAPPER.readTree(receiver.requests.get(0).body());
        String ts = body.get("timestamp").asText();
        String expected = Base64.getEncoder().encodeToString(
                hmacSha256((ts + "\n" + secret).getBytes(StandardCharsets.UTF_8), new byte[0]));
        assertThat(body.get("sign").asText()).isEqualTo(expected);
        assertThat(body.get("msg_type").asText()).isEqualTo("interactive");
        assertThat(body.get("card").get("header").get("template").asText()).isEqualTo("red");
        assertThat(receiver.requests.get(0).body()).doesNotContain("<at");
    }

    @Test
    void wecom_slack_and_teams_get_their_own_shapes_each_from_its_own_named_webhook() throws Exception {
        simulator.withTasks(List.of(task(7006, "orders")));
        settings.put("sink.webhook.names", "wecom,slack,teams");
        named("wecom", "/cgi-bin/webhook/send?key=k1", "wecom");
        named("slack", "/services/T1/B2/xyz", "slack");
        named("teams", "/workflows/invoke?sig=abc", "teams");
        receiver.answerAlways("{\"errcode\":0,\"errmsg\":\"ok\"}");

        CycleReport report = cycle();

        assertThat(report.sinks()).containsKeys("webhook.wecom", "webhook.slack", "webhook.teams");
        assertThat(report.ok()).isTrue();
        Map<String, JsonNode> byPath = new HashMap<>();
        for (WebhookReceiver.Request r : receiver.requests) {
            byPath.put(URI.create(r.uri()).getPath(), Harness.MAPPER.readTree(r.body()));
        }
        JsonNode wecom = byPath.get("/cgi-bin/webhook/send");
        assertThat(wecom.get("msgtype").asText()).isEqualTo("markdown");
        assertThat(wecom.get("markdown").get("content").asText().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(4096);
        JsonNode slack = byPath.get("/services/T1/B2/xyz");
        assertThat(slack.get("text").asText()).startsWith("[PolarDB S0][action required] pc-7006");
        assertThat(slack.get("blocks").get(0).get("type").asText()).isEqualTo("header");
        JsonNode teams = byPath.get("/workflows/invoke");
        assertThat(teams.get("type").asText()).isEqualTo("message");
        assertThat(teams.get("attachments").get(0).get("contentType").asText())
                .isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(teams.get("attachments").get(0).get("content").get("type").asText()).isEqualTo("AdaptiveCard");
    }

    @Test
    void each_chat_mentions_the_configured_people_its_own_way_but_not_for_a_resolved_task() throws Exception {
        ObjectNode t = task(7201, "orders <at id=all></at> @13900000000");
        simulator.withTasks(List.of(t));
        settings.put("sink.webhook.names", "dingtalk,feishu,wecom,slack");
        named("dingtalk", "/robot/send?access_token=t", "dingtalk");
        settings.put("sink.webhook.dingtalk.mention", "13800001111, all");
        named("feishu", "/open-apis/bot/v2/hook/h", "feishu");
        settings.put("sink.webhook.feishu.mention", "ou_7d8a6e6df7621556ce0d21922b676706ccs");
        named("wecom", "/cgi-bin/webhook/send?key=k1", "wecom");
        settings.put("sink.webhook.wecom.mention", "zhangsan");
        named("slack", "/services/T1/B2/xyz", "slack");
        settings.put("sink.webhook.slack.mention", "here,U024BE7LH");
        receiver.answerAlways("{\"errcode\":0,\"errmsg\":\"ok\",\"code\":0}");

        CycleReport report = cycle();
        assertThat(report.ok()).as(report.toString()).isTrue();
        Map<String, JsonNode> urgent = new HashMap<>();
        for (WebhookReceiver.Request r : receiver.requests) {
            urgent.put(URI.create(r.uri()).getPath(), Harness.MAPPER.readTree(r.body()));
        }
        JsonNode dingTalk = urgent.get("/robot/send");
        assertThat(dingTalk.get("at").get("atMobiles")).extracting(JsonNode::asText).containsExactly("13800001111");
        assertThat(dingTalk.get("at").get("isAtAll").asBoolean()).isTrue();
        String dingTalkText = dingTalk.get("markdown").get("text").asText();
        assertThat(dingTalkText).endsWith("@13800001111 @all").doesNotContain("@13900000000");
        String feishu = urgent.get("/open-apis/bot/v2/hook/h").get("card").get("elements").get(0).get("text")
                .get("content").asText();
        assertThat(feishu).endsWith("<at id=ou_7d8a6e6df7621556ce0d21922b676706ccs></at>");
        assertThat(feishu.split("<at ", -1)).as("the API's text mentions nobody").hasSize(2);
        assertThat(urgent.get("/cgi-bin/webhook/send").get("markdown").get("content").asText())
                .endsWith("<@zhangsan>");
        JsonNode slack = urgent.get("/services/T1/B2/xyz");
        assertThat(slack.get("text").asText()).startsWith("<!here> <@U024BE7LH> [PolarDB S0]");
        assertThat(slack.get("blocks").get(1).get("text").get("text").asText()).isEqualTo("<!here> <@U024BE7LH>");

        int before = receiver.requests.size();
        t.put("Status", 5);
        clock.advance(java.time.Duration.ofMinutes(5));
        cycle();
        List<String> resolved = receiver.requests.subList(before, receiver.requests.size()).stream()
                .map(WebhookReceiver.Request::body).toList();
        assertThat(resolved).hasSize(4).allSatisfy(body -> assertThat(body).contains("resolved")
                .doesNotContain("13800001111", "ou_7d8a6e6df7621556ce0d21922b676706ccs", "zhangsan", "U024BE7LH",
                        "isAtAll"));
    }

    @Test
    void in_chinese_a_dingtalk_room_reads_chinese_one_alert_or_a_digest() throws Exception {
        settings.put("alert.language", "zh");
        settings.put("sink.webhook.url", receiver.url("/robot/send?access_token=t"));
        settings.put("sink.webhook.format", "dingtalk");
        receiver.answerAlways("{\"errcode\":0,\"errmsg\":\"ok\"}");
        simulator.withTasks(List.of(task(7301, "orders")));

        cycle();
        JsonNode one = Harness.MAPPER.readTree(receiver.requests.get(0).body());
        assertThat(one.get("markdown").get("title").asText()).isEqualTo("PolarDB S0 需处理：pc-7301");
        assertThat(one.get("markdown").get("text").asText())
                .startsWith("### [PolarDB S0][需处理] pc-7301 (orders) 硬件维护：截止 2026-12-05 18:00 CST（5 小时后）")
                .contains("- 任务: 硬件维护 (DatabaseHardwareMaintenance)", "- 截止时间: **2026-12-05 18:00 CST**",
                        "- 可取消 / 可修改时间: 否 / 是", "[PolarDB 控制台](https://")
                .doesNotContain("Deadline", "Cluster");

        simulator.withTasks(tasks(30));
        clock.advance(java.time.Duration.ofMinutes(5));
        cycle();
        List<String> digests = new ArrayList<>();
        for (WebhookReceiver.Request r : receiver.requests.subList(1, receiver.requests.size())) {
            digests.add(Harness.MAPPER.readTree(r.body()).get("markdown").get("title").asText());
        }
        assertThat(digests).isNotEmpty().allMatch(t -> t.matches("PolarDB 运维：\\d+ 条告警|PolarDB S0 .*"));
        assertThat(digests).anyMatch(t -> t.matches("PolarDB 运维：\\d+ 条告警"));
    }

    @Test
    void a_mention_a_format_cannot_carry_is_a_configuration_error() {
        Map<String, String> bad = new HashMap<>(settings);
        bad.put("sink.webhook.names", "teams,dingtalk");
        bad.put("sink.webhook.teams.url", receiver.url("/workflows/invoke?sig=abc"));
        bad.put("sink.webhook.teams.format", "teams");
        bad.put("sink.webhook.teams.mention", "someone");
        bad.put("sink.webhook.dingtalk.url", receiver.url("/robot/send?access_token=t"));
        bad.put("sink.webhook.dingtalk.format", "dingtalk");
        bad.put("sink.webhook.dingtalk.mention", "zhangsan");

        List<String> problems = io.github.polardbopsalerts.config.Settings.of(bad).problems();

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sink.webhook.teams.mention")
                .contains("teams webhooks cannot mention anyone"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sink.webhook.dingtalk.mention")
                .contains("'zhangsan' is not someone a dingtalk message can mention"));
    }

    @Test
    void one_failing_webhook_does_not_hold_up_another() throws Exception {
        simulator.withTasks(List.of(task(7007, "orders")));
        try (WebhookReceiver broken = new WebhookReceiver("")) {
            for (int i = 0; i < 3; i++) {
                broken.then(500, "down", Map.of());
            }
            settings.put("sink.webhook.names", "good,bad");
            named("good", "/good", "generic");
            settings.put("sink.webhook.bad.url", broken.url("/bad"));

            CycleReport report = cycle();

            assertThat(report.sinks().get("webhook.good").delivered()).isEqualTo(1);
            assertThat(report.sinks().get("webhook.bad").failed()).isEqualTo(1);
            assertThat(report.sinks().get("webhook.bad").pending()).isEqualTo(1);
            assertThat(broken.requests).hasSize(3);

            clock.advance(Duration.ofMinutes(5));
            CycleReport next = cycle();
            assertThat(next.sinks().get("webhook.bad").delivered()).isEqualTo(1);
            assertThat(receiver.requests).hasSize(1);
        }
    }
}
