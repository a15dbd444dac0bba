package io.github.polardbopsalerts.sink;

/** A sink refused an alert in a way retrying will not heal; it goes to the dead-letter file. */
public class PermanentDeliveryException extends Exception {

    public PermanentDeliveryException(String message) {
        super(message);
    }
}
