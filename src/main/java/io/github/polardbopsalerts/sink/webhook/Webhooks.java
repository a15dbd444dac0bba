package io.github.polardbopsalerts.sink.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.api.Exchanges;
import io.github.polardbopsalerts.config.Settings.WebhookSettings;
import io.github.polardbopsalerts.config.Urls;
import io.github.polardbopsalerts.sink.AlertBatch;
import io.github.polardbopsalerts.sink.AlertView;
import io.github.polardbopsalerts.sink.Texts;
import io.github.polardbopsalerts.sink.PermanentDeliveryException;
import io.github.polardbopsalerts.sink.SinkBusyException;
import io.github.polardbopsalerts.sink.TransientDeliveryException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The webhooks: which alerts go out as which requests (one each, or digests that keep a chat's rate and
 * size limits), the signed request for each, and what the answer means: delivered, try again (honouring
 * Retry-After), leave the robot alone until later, or refused for good.
 */
public final class Webhooks {

    /** Pending alerts planned into chat messages in one cycle; more wait for the next cycle. */
    static final int MAX_PLANNED = 2_000;
    /** DingTalk's documented throttle: ten minutes. */
    static final Duration DINGTALK_BLOCK = Duration.ofMinutes(10);

    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final ChatMessages chat;
    private final ObjectMapper mapper;
    private final ZoneId zone;
    private final String consoleUrl;
    private final Duration maxRetryDelay;
    private final Clock clock;
    private final Texts texts;

    /** One configured webhook and its rate limit, which lives as long as the process. */
    record Target(WebhookSettings settings, WebhookFormat format, RateLimit limit) {
    }

    public Webhooks(List<WebhookSettings> webhooks, ObjectMapper mapper, ZoneId zone, String consoleUrl,
            Duration maxRetryDelay, Clock clock, Texts texts) {
        this.texts = texts;
        for (WebhookSettings w : webhooks) {
            WebhookFormat f = WebhookFormat.of(w.format());
            targets.put(w.sink(), new Target(w, f, new RateLimit(f.perMinute, f.perSecond)));
        }
        this.chat = new ChatMessages(mapper);
        this.mapper = mapper;
        this.zone = zone;
        this.consoleUrl = consoleUrl;
        this.maxRetryDelay = maxRetryDelay;
        this.clock = clock;
    }

    public boolean handles(String sink) {
        return targets.containsKey(sink);
    }

    /** True for a chat webhook, which takes alerts as (one-alert) digests. */
    public boolean chat(String sink) {
        Target t = targets.get(sink);
        return t != null && t.format().chat();
    }

    /**
     * The messages for a webhook's pending alerts: one alert each while the robot's budget for the minute
     * covers them all (always, for generic webhooks); otherwise digests, as few as the size limit allows.
     */
    public Iterator<?> plan(String sink, Iterator<ObjectNode> pending) {
        Target t = targets.get(sink);
        if (!t.format().chat()) {
            return pending;
        }
        List<ObjectNode> alerts = new ArrayList<>();
        while (pending.hasNext() && alerts.size() < MAX_PLANNED) {
            alerts.add(pending.next());
        }
        if (alerts.size() <= t.limit().available()) {
            return alerts.stream().map(AlertBatch::of).iterator();
        }
        return digests(t, alerts).iterator();
    }

    /** Greedy packing: each digest takes alerts until the next would pass the vendor's size limit. */
    List<AlertBatch> digests(Target target, List<ObjectNode> alerts) {
        WebhookFormat format = target.format();
        List<List<ObjectNode>> groups = new ArrayList<>();
        List<ObjectNode> current = new ArrayList<>();
        for (ObjectNode a : alerts) {
            current.add(a);
            if (current.size() > 1 && size(target, current) > budget(format)) {
                current.remove(current.size() - 1);
                groups.add(current);
                current = new ArrayList<>();
                current.add(a);
            }
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        List<AlertBatch> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            out.add(new AlertBatch(groups.get(i), i + 1, groups.size()));
        }
        return out;
    }

    /** Room for the signature fields and the "part n of m" line. */
    private static int budget(WebhookFormat format) {
        return format.maxBytes - 200;
    }

    private int size(Target target, List<ObjectNode> alerts) {
        return chat.measure(target.format(), chat.body(target.format(), views(alerts), 99, 99,
                target.settings().mention()));
    }

    /** A request as it goes out: the URL (a credential: never logged whole), headers and body. */
    public record Request(String url, Map<String, String> headers, byte[] body) {
    }

    /** The signed request for an alert (generic) or a digest (chat) at the given time. */
    public Request request(String sink, Object item, long nowMillis) throws Exception {
        Target t = targets.get(sink);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        String url = t.settings().url();
        String secret = t.settings().secret();
        byte[] body;
        if (t.format() == WebhookFormat.GENERIC) {
            ObjectNode alert = AlertBatch.alertsIn(item).get(0);
            body = mapper.writeValueAsBytes(alert);
            String id = alert.path("alertId").asText();
            headers.put("webhook-id", id);
            headers.put("webhook-timestamp", Long.toString(nowMillis / 1000));
            if (!secret.isEmpty()) {
                headers.put("webhook-signature", WebhookSigning.standardWebhooks(secret, id, nowMillis / 1000, body));
            }
        } else {
            AlertBatch batch = item instanceof AlertBatch b ? b : AlertBatch.of((ObjectNode) item);
            ObjectNode json = chat.body(t.format(), views(batch.alerts()), batch.part(), batch.parts(),
                    t.settings().mention());
            if (t.format() == WebhookFormat.FEISHU && !secret.isEmpty()) {
                json.put("timestamp", Long.toString(nowMillis / 1000));
                json.put("sign", WebhookSigning.feishu(secret, nowMillis / 1000));
            }
            if (t.format() == WebhookFormat.DINGTALK && !secret.isEmpty()) {
                url = url + (url.contains("?") ? "&" : "?") + "timestamp=" + nowMillis + "&sign="
                        + WebhookSigning.dingTalk(secret, nowMillis);
            }
            body = mapper.writeValueAsBytes(json);
        }
        return new Request(url, headers, body);
    }

    /** Builds the signed request for the alert or digest taken, after waiting for the robot's budget. */
    public void prepare(Exchange exchange) throws Exception {
        String sink = exchange.getProperty(Exchanges.SINK, String.class);
        Request r = request(sink, exchange.getProperty(Exchanges.ALERT), clock.millis());
        Message m = exchange.getMessage();
        m.removeHeaders("*", "CamelRedelivery*");
        r.headers().forEach(m::setHeader);
        // The query goes as it is: DingTalk's sign is already URL-encoded and must not be encoded twice.
        int q = r.url().indexOf('?');
        m.setHeader(Exchange.HTTP_URI, q < 0 ? r.url() : r.url().substring(0, q));
        if (q >= 0) {
            m.setHeader(Exchange.HTTP_QUERY, r.url().substring(q + 1));
        }
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setBody(r.body());
        targets.get(sink).limit().acquire(maxRetryDelay);
    }

    /** Reads the answer: returns when delivered, throws to retry, to wait for a later cycle, or to dead-letter. */
    public void read(Exchange exchange) throws Exception {
        String sink = exchange.getProperty(Exchanges.SINK, String.class);
        Target t = targets.get(sink);
        Message m = exchange.getMessage();
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = m.getBody(String.class);
        String answer = "HTTP " + status + (text == null || text.isBlank() ? "" : ": " + clip(text));
        Duration retryAfter = retryAfter(m.getHeader("Retry-After", String.class));
        if (status == 429) {
            throttled(exchange, t, retryAfter == null ? Duration.ofMinutes(1) : retryAfter, answer);
        }
        if (status >= 500 || status == 408) {
            if (retryAfter != null) {
                throttled(exchange, t, retryAfter, answer);
            }
            throw new TransientDeliveryException(Urls.redact(t.settings().url()) + " answered " + answer);
        }
        if (status < 200 || status >= 300) {
            throw new PermanentDeliveryException(Urls.redact(t.settings().url()) + " refused it: " + answer);
        }
        vendorAnswer(exchange, t, text, answer);
    }

    private void vendorAnswer(Exchange exchange, Target t, String text, String answer) throws Exception {
        String where = Urls.redact(t.settings().url());
        switch (t.format()) {
            case DINGTALK, WECOM -> {
                int code = code(text, "errcode");
                if (code == 0) {
                    return;
                }
                // DingTalk 130101 / WeCom 45009: too many messages; DingTalk then blocks for ten minutes.
                if (code == 130101 || code == 45009) {
                    throttled(exchange, t, t.format() == WebhookFormat.DINGTALK ? DINGTALK_BLOCK : Duration.ofMinutes(1),
                            answer);
                }
                // 310000: signature, keyword or IP refused; 460101 / 101002: body too large; 93000: bad key.
                if (Set.of(310000, 460101, 101002, 93000, 40008).contains(code)) {
                    throw new PermanentDeliveryException(where + " refused it: " + answer);
                }
                throw new TransientDeliveryException(where + " answered " + answer);
            }
            case FEISHU -> {
                int code = code(text, "code");
                if (code == 0) {
                    return;
                }
                if (code == 11232) {
                    throttled(exchange, t, Duration.ofMinutes(1), answer);
                }
                // 19021: signature or timestamp refused; 19024: keyword; 19036: too large; 19001: bad hook.
                if (Set.of(19021, 19024, 19036, 19001, 19002).contains(code)) {
                    throw new PermanentDeliveryException(where + " refused it: " + answer);
                }
                throw new TransientDeliveryException(where + " answered " + answer);
            }
            default -> {
                // generic, Slack ("ok") and Teams (202): the status says it all.
            }
        }
    }

    /** A robot that asked for time: wait that long if a retry may, otherwise leave it until a later cycle. */
    private void throttled(Exchange exchange, Target t, Duration wait, String answer) throws Exception {
        t.limit().blockFor(wait);
        if (wait.compareTo(maxRetryDelay) <= 0) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, Math.max(wait.toMillis(), 1));
            throw new TransientDeliveryException(Urls.redact(t.settings().url()) + " asked to wait " + wait.toSeconds()
                    + " s: " + answer);
        }
        throw new SinkBusyException(Urls.redact(t.settings().url()) + " asked to wait " + wait.toSeconds() + " s: "
                + answer);
    }

    private static int code(String text, String field) throws TransientDeliveryException {
        try {
            return new ObjectMapper().readTree(text == null ? "" : text).path(field).asInt(-1);
        } catch (IOException e) {
            throw new TransientDeliveryException("unreadable answer: " + clip(String.valueOf(text)));
        }
    }

    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            try {
                java.time.ZonedDateTime at = java.time.ZonedDateTime.parse(header.trim(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                return Duration.between(java.time.Instant.now(), at.toInstant()).isNegative() ? Duration.ZERO
                        : Duration.between(java.time.Instant.now(), at.toInstant());
            } catch (java.time.format.DateTimeParseException e2) {
                return null;
            }
        }
    }

    private List<AlertView> views(List<ObjectNode> alerts) {
        return alerts.stream().map(a -> new AlertView(a, zone, consoleUrl, texts)).toList();
    }

    private static String clip(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() <= 300 ? one : one.substring(0, 300) + "…";
    }
}
