package io.github.polardbopsalerts.sink.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import org.apache.camel.component.mail.DefaultJavaMailSender;

/**
 * Sends a cycle's messages over one SMTP session instead of one connection (and TLS handshake and login)
 * each. The session is closed at the end of each delivery run, and after any failure, so that a retry
 * starts from a fresh connection and a server's answer to one message never leaks into the next.
 */
public final class ReusingMailSender extends DefaultJavaMailSender implements AutoCloseable {

    private Transport transport;

    @Override
    public synchronized void send(MimeMessage message) throws MessagingException {
        try {
            if (transport == null || !transport.isConnected()) {
                close();
                Transport t = getTransport(getSession());
                jakarta.mail.PasswordAuthentication login = getPasswordAuthentication();
                t.connect(getHost(), getPort(), login.getUserName(), login.getPassword());
                transport = t;
            }
            if (message.getSentDate() == null) {
                message.setSentDate(new Date());
            }
            // saveChanges() would give the message a new Message-ID; ours derives from the alertId.
            String messageId = message.getMessageID();
            message.saveChanges();
            if (messageId != null) {
                message.setHeader("Message-ID", messageId);
            }
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Ends the SMTP session, if one is open (QUIT); the next message opens a new one. */
    @Override
    public synchronized void close() {
        Transport t = transport;
        transport = null;
        if (t != null) {
            try {
                t.close();
            } catch (MessagingException e) {
                // The session is gone either way; the next send connects anew.
            }
        }
    }
}
