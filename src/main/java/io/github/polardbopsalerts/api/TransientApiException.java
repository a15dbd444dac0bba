package io.github.polardbopsalerts.api;

/** A failure worth retrying: throttling, 5xx, an unreadable body. Carries the server's retry-after hint. */
public class TransientApiException extends ApiException {

    private final long retryAfterMillis;

    public TransientApiException(int httpStatus, String code, String apiMessage, String requestId,
            long retryAfterMillis) {
        super(httpStatus, code, apiMessage, requestId);
        this.retryAfterMillis = retryAfterMillis;
    }

    /** Milliseconds the server asked us to wait (x-acs-retry-after or Retry-After), 0 when it did not say. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
