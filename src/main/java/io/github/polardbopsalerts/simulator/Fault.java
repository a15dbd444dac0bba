package io.github.polardbopsalerts.simulator;

import java.time.Duration;

/** One injected misbehaviour, for the next request (of one region, or of any when region is null). */
public record Fault(Kind kind, String region, int httpStatus, String code, String message, long retryAfterMillis,
        Duration delay, Runnable action) {

    public enum Kind { ERROR, MALFORMED, DELAY, DROP_CONNECTION, RUN }

    /** An Alibaba error body with this HTTP status and Code. */
    public static Fault error(int httpStatus, String code, String message) {
        return new Fault(Kind.ERROR, null, httpStatus, code, message, 0, Duration.ZERO, null);
    }

    /** Throttling.User, HTTP 400, with x-acs-retry-after in milliseconds (0 for none). */
    public static Fault throttled(long retryAfterMillis) {
        return new Fault(Kind.ERROR, null, 400, "Throttling.User", "Request was denied due to user flow control.",
                retryAfterMillis, Duration.ZERO, null);
    }

    public static Fault serviceUnavailable() {
        return error(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.");
    }

    /** HTTP 200 with a body that is not JSON. */
    public static Fault malformedBody() {
        return new Fault(Kind.MALFORMED, null, 200, null, null, 0, Duration.ZERO, null);
    }

    /** Answers normally after a pause (longer than the client's timeout makes a timeout). */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, null, 0, null, null, 0, delay, null);
    }

    /** Closes the connection without an answer. */
    public static Fault dropConnection() {
        return new Fault(Kind.DROP_CONNECTION, null, 0, null, null, 0, Duration.ZERO, null);
    }

    /** Runs an action (e.g. changes the data set) before answering normally. */
    public static Fault run(Runnable action) {
        return new Fault(Kind.RUN, null, 0, null, null, 0, Duration.ZERO, action);
    }

    public Fault inRegion(String regionId) {
        return new Fault(kind, regionId, httpStatus, code, message, retryAfterMillis, delay, action);
    }
}
