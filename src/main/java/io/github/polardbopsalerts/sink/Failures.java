package io.github.polardbopsalerts.sink;

import jakarta.mail.MessagingException;
import java.util.LinkedHashSet;
import java.util.Set;

/** One line for a delivery failure: every distinct message along its causes, SMTP replies included. */
public final class Failures {

    private Failures() {
    }

    public static String describe(Throwable t) {
        if (t == null) {
            return "refused";
        }
        Set<String> parts = new LinkedHashSet<>();
        int depth = 0;
        for (Throwable e = t; e != null && depth < 10; e = next(e), depth++) {
            String m = e.getMessage();
            parts.add(m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ").trim());
        }
        return String.join("; ", parts);
    }

    private static Throwable next(Throwable e) {
        if (e instanceof MessagingException m && m.getNextException() != null && m.getNextException() != e) {
            return m.getNextException();
        }
        return e.getCause() == e ? null : e.getCause();
    }
}
