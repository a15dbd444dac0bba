package io.github.polardbopsalerts.state;

/**
 * The state in state.dir cannot be used: unreadable, corrupt, from a newer version, or in use by another
 * process. The daemon stops (exit 2) rather than start afresh and alert everything again.
 */
public final class StateException extends RuntimeException {

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }

    public StateException(String message) {
        super(message);
    }
}
