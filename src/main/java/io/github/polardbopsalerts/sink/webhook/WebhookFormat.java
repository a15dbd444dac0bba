package io.github.polardbopsalerts.sink.webhook;

import java.util.Locale;

/**
 * What each chat's robot accepts: messages a minute and a second, and the largest message in bytes (for
 * WeCom the markdown content, for the others the whole body). Figures from the vendors' documentation as
 * collected in shared/reference/chat-webhook-formats.md; where a vendor publishes none, a conservative one.
 */
public enum WebhookFormat {

    GENERIC(0, 0, 0),
    DINGTALK(20, 0, 20_000),
    FEISHU(100, 5, 20_000),
    WECOM(20, 0, 4_096),
    SLACK(60, 1, 35_000),
    TEAMS(60, 2, 25_000);

    /** Messages a minute; 0 for no limit. */
    final int perMinute;
    /** Messages a second; 0 for no limit. */
    final int perSecond;
    /** Largest message in bytes; 0 for no limit (one alert a request). */
    final int maxBytes;

    WebhookFormat(int perMinute, int perSecond, int maxBytes) {
        this.perMinute = perMinute;
        this.perSecond = perSecond;
        this.maxBytes = maxBytes;
    }

    public static WebhookFormat of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    boolean chat() {
        return this != GENERIC;
    }
}
