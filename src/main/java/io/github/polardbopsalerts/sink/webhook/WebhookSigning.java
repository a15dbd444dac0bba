package io.github.polardbopsalerts.sink.webhook;

import io.github.polardbopsalerts.api.Hashing;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The three signatures the formats use, each as its owner documents it. */
public final class WebhookSigning {

    private WebhookSigning() {
    }

    /**
     * Standard Webhooks: "v1," + Base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)), the key being
     * the Base64 after "whsec_" (github.com/standard-webhooks/standard-webhooks, spec).
     */
    public static String standardWebhooks(String secret, String id, long timestampSeconds, byte[] body) {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        byte[] prefix = (id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, data, 0, prefix.length);
        System.arraycopy(body, 0, data, prefix.length, body.length);
        return "v1," + Base64.getEncoder().encodeToString(Hashing.hmac("HmacSHA256", key, data));
    }

    /**
     * DingTalk: HMAC-SHA256 keyed with the secret over timestamp (ms) + "\n" + secret, Base64, then
     * URL-encoded for the query (open.dingtalk.com, custom robot security settings).
     */
    public static String dingTalk(String secret, long timestampMillis) {
        byte[] mac = Hashing.hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8),
                (timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8));
        return URLEncoder.encode(Base64.getEncoder().encodeToString(mac), StandardCharsets.UTF_8);
    }

    /**
     * Feishu: HMAC-SHA256 keyed with timestamp (s) + "\n" + secret over nothing, Base64; sent in the body
     * (open.feishu.cn, custom bot).
     */
    public static String feishu(String secret, long timestampSeconds) {
        byte[] mac = Hashing.hmac("HmacSHA256", (timestampSeconds + "\n" + secret).getBytes(StandardCharsets.UTF_8),
                new byte[0]);
        return Base64.getEncoder().encodeToString(mac);
    }
}
