package io.github.polardbopsalerts.sink.mail;

import jakarta.mail.MessagingException;
import org.apache.camel.Exchange;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Tells a permanent SMTP refusal (a 5xx reply to the sender, a recipient or the message) from a failure
 * that may heal (a 4xx reply, a refused or dropped connection, a timeout), which is retried.
 */
public final class SmtpReplies {

    /** True when the exception of the exchange carries a 5xx SMTP reply somewhere in its chain. */
    public boolean permanent(Exchange exchange) {
        Throwable t = exchange.getException();
        if (t == null) {
            t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        return permanent(t);
    }

    static boolean permanent(Throwable t) {
        for (Throwable e = t; e != null; e = next(e)) {
            int code = replyCode(e);
            if (code >= 500 && code < 600) {
                return true;
            }
        }
        return false;
    }

    private static int replyCode(Throwable e) {
        if (e instanceof SMTPSendFailedException s) {
            return s.getReturnCode();
        }
        if (e instanceof SMTPAddressFailedException a) {
            return a.getReturnCode();
        }
        if (e instanceof SMTPSenderFailedException s) {
            return s.getReturnCode();
        }
        return -1;
    }

    private static Throwable next(Throwable e) {
        if (e instanceof MessagingException m && m.getNextException() != null && m.getNextException() != e) {
            return m.getNextException();
        }
        return e.getCause() == e ? null : e.getCause();
    }
}
