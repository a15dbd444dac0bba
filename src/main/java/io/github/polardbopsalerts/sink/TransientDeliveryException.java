package io.github.polardbopsalerts.sink;

/** A sink could not take an alert now (5xx, 429, a timeout, a throttled robot); retried with back-off. */
public class TransientDeliveryException extends Exception {

    public TransientDeliveryException(String message) {
        super(message);
    }
}
