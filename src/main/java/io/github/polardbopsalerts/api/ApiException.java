package io.github.polardbopsalerts.api;

/**
 * An API call that failed, with what Alibaba's error body said: Code, Message and RequestId.
 * Permanent unless it is a {@link TransientApiException}.
 */
public class ApiException extends RuntimeException {

    private final int httpStatus;
    private final String code;
    private final String apiMessage;
    private final String requestId;

    public ApiException(int httpStatus, String code, String apiMessage, String requestId) {
        super(describe(httpStatus, code, apiMessage, requestId));
        this.httpStatus = httpStatus;
        this.code = code;
        this.apiMessage = apiMessage;
        this.requestId = requestId;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    public String apiMessage() {
        return apiMessage;
    }

    public String requestId() {
        return requestId;
    }

    static String describe(int httpStatus, String code, String message, String requestId) {
        StringBuilder s = new StringBuilder();
        if (httpStatus > 0) {
            s.append("HTTP ").append(httpStatus).append(' ');
        }
        s.append(code == null ? "(no Code)" : code);
        if (message != null && !message.isBlank()) {
            s.append(": ").append(oneLine(message));
        }
        if (requestId != null && !requestId.isBlank()) {
            s.append(" (RequestId ").append(requestId).append(')');
        }
        return s.toString();
    }

    /** Newlines and tabs become spaces, so a message stays one log line; long ones are cut. */
    public static String oneLine(String text) {
        String flat = text.replaceAll("[\\r\\n\\t]+", " ").trim();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }
}
