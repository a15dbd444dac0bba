package io.github.polardbopsalerts.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Alibaba Cloud signature V3 (ACS3-HMAC-SHA256), following "V3 request structure and signature"
 * (help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature).
 */
public final class AcsV3Signature {

    public static final String ALGORITHM = "ACS3-HMAC-SHA256";
    public static final String EMPTY_PAYLOAD_SHA256 = Hashing.sha256Hex(new byte[0]);
    public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private AcsV3Signature() {
    }

    /**
     * The headers of a signed RPC-style request with an empty body: host, the x-acs-* headers and
     * Authorization. The STS token, when present, travels as x-acs-security-token and is signed.
     */
    public static Map<String, String> signedHeaders(String method, String host, String action, String version,
            Map<String, String> query, ApiCredential credential, Instant now, String nonce) {
        Map<String, String> headers = new TreeMap<>();
        headers.put("host", host);
        headers.put("x-acs-action", action);
        headers.put("x-acs-version", version);
        headers.put("x-acs-date", DATE.format(now.truncatedTo(ChronoUnit.SECONDS)));
        headers.put("x-acs-signature-nonce", nonce);
        headers.put("x-acs-content-sha256", EMPTY_PAYLOAD_SHA256);
        if (credential.temporary()) {
            headers.put("x-acs-security-token", credential.securityToken());
        }
        String canonical = canonicalRequest(method, "/", query, headers, EMPTY_PAYLOAD_SHA256);
        String signature = signature(credential.accessKeySecret(), stringToSign(canonical));
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("authorization", authorization(credential.accessKeyId(), headers, signature));
        return all;
    }

    /** Method, URI, query, the signable headers (lower-cased, sorted, trimmed), their names, the payload hash. */
    public static String canonicalRequest(String method, String canonicalUri, Map<String, String> query,
            Map<String, String> headers, String payloadHash) {
        SortedMap<String, String> signable = signable(headers);
        StringBuilder canonicalHeaders = new StringBuilder();
        signable.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v.trim()).append('\n'));
        return method.toUpperCase(Locale.ROOT) + '\n'
                + canonicalUri + '\n'
                + Percent.canonicalQuery(query) + '\n'
                + canonicalHeaders + '\n'
                + String.join(";", signable.keySet()) + '\n'
                + payloadHash;
    }

    public static String stringToSign(String canonicalRequest) {
        return ALGORITHM + '\n' + Hashing.sha256Hex(canonicalRequest);
    }

    public static String signature(String secret, String stringToSign) {
        return Hashing.hex(Hashing.hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8),
                stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    public static String authorization(String accessKeyId, Map<String, String> headers, String signature) {
        return ALGORITHM + " Credential=" + accessKeyId + ",SignedHeaders="
                + String.join(";", signable(headers).keySet()) + ",Signature=" + signature;
    }

    /** Headers V3 signs: host, content-type and every x-acs-* header, names lower-cased. */
    public static boolean isSignable(String lowerCaseName) {
        return lowerCaseName.startsWith("x-acs-") || lowerCaseName.equals("host") || lowerCaseName.equals("content-type");
    }

    private static SortedMap<String, String> signable(Map<String, String> headers) {
        SortedMap<String, String> out = new TreeMap<>();
        headers.forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT);
            if (isSignable(name)) {
                out.put(name, v);
            }
        });
        return out;
    }
}
