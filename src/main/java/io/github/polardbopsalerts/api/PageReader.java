package io.github.polardbopsalerts.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Reads camel-http's answer: a page of tasks, or an exception carrying Alibaba's Code, Message and
 * RequestId, transient (worth a retry) or permanent.
 */
public final class PageReader {

    static final long MAX_RETRY_AFTER_MILLIS = 300_000;

    private final ObjectMapper mapper;

    private final java.util.function.BiConsumer<String, String> answers;

    /** @param answers told of every answer: the region and "OK", the API's Code, or the HTTP status */
    public PageReader(ObjectMapper mapper, java.util.function.BiConsumer<String, String> answers) {
        this.mapper = mapper;
        this.answers = answers;
    }

    /** Sets the body to the {@link TaskPage}, or throws. */
    public void read(Exchange exchange) {
        Message in = exchange.getMessage();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String region = exchange.getProperty(Exchanges.REGION, String.class);
        JsonNode body;
        try {
            body = parse(in, status);
        } catch (ApiException e) {
            answers.accept(region, "MalformedResponse");
            throw e;
        }
        if (status != 200) {
            ApiException failure = error(in, status, body);
            answers.accept(region, failure.code() != null ? failure.code() : "HTTP_" + status);
            if (failure instanceof TransientApiException t && t.retryAfterMillis() > 0) {
                // Camel's error handler reads this header in place of its own back-off for the next attempt.
                in.setHeader(Exchange.REDELIVERY_DELAY, Math.min(t.retryAfterMillis(), MAX_RETRY_AFTER_MILLIS));
            }
            throw failure;
        }
        TaskPage page;
        try {
            page = page(body, region, status);
        } catch (ApiException e) {
            answers.accept(region, "MalformedResponse");
            throw e;
        }
        answers.accept(region, "OK");
        in.setBody(page);
    }

    private JsonNode parse(Message in, int status) {
        try (InputStream stream = in.getBody(InputStream.class)) {
            if (stream == null) {
                return null;
            }
            return mapper.readTree(stream);
        } catch (IOException e) {
            if (status == 200) {
                throw new TransientApiException(status, "MalformedResponse",
                        "the response body is not JSON: " + firstLine(e.getMessage()), requestIdHeader(in), 0);
            }
            return null;
        }
    }

    private TaskPage page(JsonNode body, String region, int status) {
        String requestId = body == null ? null : textOrNull(body.get("RequestId"));
        if (body == null || !body.isObject() || !body.path("Items").isArray()
                || !body.path("TotalRecordCount").canConvertToLong()) {
            throw new TransientApiException(status, "MalformedResponse",
                    "the response has no Items array or no TotalRecordCount", requestId, 0);
        }
        List<ActiveOperationTask> items = new ArrayList<>(body.get("Items").size());
        for (JsonNode item : body.get("Items")) {
            if (item.isObject()) {
                items.add(new ActiveOperationTask(region, (ObjectNode) item));
            }
        }
        return new TaskPage(requestId, body.get("TotalRecordCount").asLong(), body.path("PageNumber").asInt(0),
                body.path("PageSize").asInt(0), items);
    }

    private ApiException error(Message in, int status, JsonNode body) {
        String code = body == null ? null : textOrNull(body.get("Code"));
        String message = body == null ? null : textOrNull(body.get("Message"));
        String requestId = body == null ? null : textOrNull(body.get("RequestId"));
        if (requestId == null) {
            requestId = requestIdHeader(in);
        }
        if (message == null && body == null) {
            message = "the error response is not Alibaba's error JSON";
        }
        long retryAfter = retryAfterMillis(in);
        if (isTransient(status, code, retryAfter)) {
            return new TransientApiException(status, code, message, requestId, retryAfter);
        }
        return new ApiException(status, code, message, requestId);
    }

    /** Throttling (any Throttling* code, 429, x-acs-retry-after), 5xx and ServiceUnavailable heal with time. */
    static boolean isTransient(int status, String code, long retryAfterMillis) {
        if (status == 429 || status >= 500 || retryAfterMillis > 0) {
            return true;
        }
        return code != null && (code.startsWith("Throttling") || code.equals("ServiceUnavailable")
                || code.equals("InternalError"));
    }

    /** x-acs-retry-after in milliseconds (Alibaba), else Retry-After in seconds (HTTP); 0 when absent or invalid. */
    static long retryAfterMillis(Message in) {
        long acs = positiveLong(in.getHeader("x-acs-retry-after", String.class));
        if (acs > 0) {
            return acs;
        }
        long seconds = positiveLong(in.getHeader("Retry-After", String.class));
        return seconds > 0 ? seconds * 1000 : 0;
    }

    private static long positiveLong(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String requestIdHeader(Message in) {
        return in.getHeader("x-acs-request-id", String.class);
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
