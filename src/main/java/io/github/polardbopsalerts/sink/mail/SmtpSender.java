package io.github.polardbopsalerts.sink.mail;

import io.github.polardbopsalerts.config.ConfigException;
import io.github.polardbopsalerts.config.Durations;
import io.github.polardbopsalerts.config.Settings;
import jakarta.mail.Session;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JavaMailSender camel-mail sends through, built from the sink.mail keys: host, port, implicit TLS or
 * STARTTLS (required, never falling back to plain text), server identity checked, timeouts, and the
 * credentials kept out of endpoint URIs and logs.
 */
public final class SmtpSender {

    private SmtpSender() {
    }

    public static ReusingMailSender from(Settings settings) {
        String security = settings.get("sink.mail.security");
        String protocol = "ssl".equals(security) ? "smtps" : "smtp";
        String prefix = "mail." + protocol + ".";
        String username = settings.get("sink.mail.username");
        String timeout = Long.toString(Durations.parse(settings.get("sink.mail.timeout")).toMillis());

        Properties p = new Properties();
        p.setProperty("mail.transport.protocol", protocol);
        p.setProperty(prefix + "auth", Boolean.toString(!username.isEmpty()));
        p.setProperty(prefix + "connectiontimeout", timeout);
        p.setProperty(prefix + "timeout", timeout);
        p.setProperty(prefix + "writetimeout", timeout);
        if ("starttls".equals(security)) {
            p.setProperty(prefix + "starttls.enable", "true");
            p.setProperty(prefix + "starttls.required", "true");
        }
        if (!"none".equals(security)) {
            p.setProperty(prefix + "ssl.checkserveridentity", "true");
            String trustStore = settings.get("sink.mail.trust-store");
            if (!trustStore.isEmpty()) {
                p.put(prefix + "ssl.socketFactory", socketFactory(Path.of(trustStore),
                        settings.get("sink.mail.trust-store-password")));
            }
        }
        ReusingMailSender sender = new ReusingMailSender();
        sender.setProtocol(protocol);
        sender.setHost(settings.get("sink.mail.host"));
        sender.setPort(Integer.parseInt(settings.get("sink.mail.port")));
        sender.setUsername(username.isEmpty() ? null : username);
        sender.setPassword(username.isEmpty() ? null : settings.get("sink.mail.password"));
        sender.setSession(Session.getInstance(p));
        return sender;
    }

    private static javax.net.ssl.SSLSocketFactory socketFactory(Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.isEmpty() ? null : password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl.getSocketFactory();
        } catch (Exception e) {
            throw new ConfigException("sink.mail.trust-store: " + file + " cannot be read as PKCS12 (" + e.getMessage() + ")");
        }
    }
}
