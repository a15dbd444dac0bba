package io.github.polardbopsalerts.sink;

/**
 * A sink asked to be left alone for longer than a retry may wait (a chat robot blocked for minutes); its
 * alerts stay pending for a later cycle, and nothing is sent to it before then.
 */
public class SinkBusyException extends Exception {

    public SinkBusyException(String message) {
        super(message);
    }
}
