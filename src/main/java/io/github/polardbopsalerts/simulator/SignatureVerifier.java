package io.github.polardbopsalerts.simulator;

import io.github.polardbopsalerts.api.AcsV3Signature;
import io.github.polardbopsalerts.api.ApiCredential;
import io.github.polardbopsalerts.api.Hashing;
import io.github.polardbopsalerts.api.RpcV1Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Checks a request's signature as Alibaba Cloud documents it: V3 (ACS3-HMAC-SHA256 in Authorization) or
 * RPC V1 (HMAC-SHA1 in the Signature parameter); a date within 15 minutes; a nonce never used twice.
 */
final class SignatureVerifier {

    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** Alibaba's on-call says a nonce must not repeat within 31 minutes; remember them a little longer. */
    static final Duration NONCE_MEMORY = Duration.ofMinutes(32);

    record Rejection(int httpStatus, String code, String message) {
    }

    private final Function<String, ApiCredential> credentials;
    private final Clock clock;
    private final Map<String, Instant> nonces = new ConcurrentHashMap<>();

    SignatureVerifier(Function<String, ApiCredential> credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /** Null when the request is authentic, else why not. */
    Rejection verify(SimRequest r) {
        String authorization = r.header("authorization");
        if (authorization != null && authorization.startsWith(AcsV3Signature.ALGORITHM + " ")) {
            return verifyV3(r, authorization);
        }
        if (r.params().containsKey("Signature")) {
            return verifyV1(r);
        }
        return new Rejection(400, "MissingParameter",
                "The input parameter \"AccessKeyId\" that is mandatory for processing this request is not supplied.");
    }

    private Rejection verifyV3(SimRequest r, String authorization) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(AcsV3Signature.ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String keyId = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (keyId == null || signedHeaders == null || signature == null) {
            return incomplete("Authorization lacks Credential, SignedHeaders or Signature.");
        }
        ApiCredential credential = credentials.apply(keyId);
        if (credential == null) {
            return new Rejection(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }
        Set<String> signed = new HashSet<>(Arrays.asList(signedHeaders.split(";")));
        for (String required : new String[] {"host", "x-acs-action", "x-acs-version", "x-acs-date",
            "x-acs-signature-nonce", "x-acs-content-sha256"}) {
            if (r.header(required) == null || !signed.contains(required)) {
                return incomplete("The header " + required + " is missing or not signed.");
            }
        }
        for (String name : r.headers().keySet()) {
            if (name.startsWith("x-acs-") && !signed.contains(name)) {
                return incomplete("The header " + name + " is sent but not signed.");
            }
        }
        if (!Hashing.sha256Hex(r.body()).equals(r.header("x-acs-content-sha256"))) {
            return new Rejection(400, "ContentSHA256NotMatched", "The x-acs-content-sha256 header does not match the body.");
        }
        Rejection token = checkToken(credential, r.header("x-acs-security-token"));
        if (token != null) {
            return token;
        }
        Rejection fresh = checkFreshness(r.header("x-acs-date"), r.header("x-acs-signature-nonce"));
        if (fresh != null) {
            return fresh;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : signed) {
            headers.put(name, r.header(name) == null ? "" : r.header(name));
        }
        String canonical = AcsV3Signature.canonicalRequest(r.method(), "/", r.query(), headers,
                r.header("x-acs-content-sha256"));
        String stringToSign = AcsV3Signature.stringToSign(canonical);
        String expected = AcsV3Signature.signature(credential.accessKeySecret(), stringToSign);
        if (!Hashing.constantTimeEquals(expected, signature)) {
            return new Rejection(400, "SignatureDoesNotMatch",
                    "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign);
        }
        return null;
    }

    private Rejection verifyV1(SimRequest r) {
        Map<String, String> p = r.params();
        for (String required : new String[] {"AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce",
            "Timestamp", "Action", "Version"}) {
            if (p.get(required) == null || p.get(required).isEmpty()) {
                return new Rejection(400, "MissingParameter", "The input parameter \"" + required
                        + "\" that is mandatory for processing this request is not supplied.");
            }
        }
        if (!"HMAC-SHA1".equals(p.get("SignatureMethod")) || !"1.0".equals(p.get("SignatureVersion"))) {
            return new Rejection(400, "InvalidParameter", "SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0.");
        }
        ApiCredential credential = credentials.apply(p.get("AccessKeyId"));
        if (credential == null) {
            return new Rejection(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }
        Rejection token = checkToken(credential, p.get("SecurityToken"));
        if (token != null) {
            return token;
        }
        Rejection fresh = checkFreshness(p.get("Timestamp"), p.get("SignatureNonce"));
        if (fresh != null) {
            return fresh;
        }
        Map<String, String> signedParams = new LinkedHashMap<>(p);
        signedParams.remove("Signature");
        // Alibaba's SDK leaves empty parameters out of what it signs.
        signedParams.values().removeIf(String::isEmpty);
        String stringToSign = RpcV1Signature.stringToSign(r.method(), signedParams);
        String expected = RpcV1Signature.signature(credential.accessKeySecret(), stringToSign);
        if (!Hashing.constantTimeEquals(expected, p.get("Signature"))) {
            return new Rejection(400, "SignatureDoesNotMatch",
                    "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign);
        }
        return null;
    }

    private static Rejection checkToken(ApiCredential credential, String token) {
        if (credential.temporary() ? !credential.securityToken().equals(token) : token != null) {
            return new Rejection(400, "InvalidSecurityToken.MismatchWithAccessKey",
                    "The security token does not belong to the AccessKey.");
        }
        return null;
    }

    private Rejection checkFreshness(String date, String nonce) {
        Instant now = clock.instant();
        Instant at;
        try {
            at = OffsetDateTime.parse(date).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            return new Rejection(400, "IllegalTimestamp", "The input parameter \"Timestamp\" does not match the"
                    + " format yyyy-MM-ddTHH:mm:ssZ in UTC.");
        }
        if (Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
            return new Rejection(400, "IllegalTimestamp", "Specified time stamp or date value is expired: "
                    + date + " is more than 15 minutes from the server time " + now + ".");
        }
        nonces.values().removeIf(seen -> seen.isBefore(now.minus(NONCE_MEMORY)));
        if (nonces.putIfAbsent(nonce, now) != null) {
            return new Rejection(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
        }
        return null;
    }

    private static Rejection incomplete(String why) {
        return new Rejection(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. "
                + why);
    }
}
