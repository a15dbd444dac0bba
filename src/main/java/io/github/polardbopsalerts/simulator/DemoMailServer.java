package io.github.polardbopsalerts.simulator;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.FolderListener;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.polardbopsalerts.sink.AtomicFiles;
import jakarta.mail.Flags;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** --demo's SMTP server: GreenMail on loopback, saving every message it receives as an .eml file. */
public final class DemoMailServer implements AutoCloseable {

    public static final String RECIPIENT = "oncall@demo.invalid";
    private static final Logger LOG = LoggerFactory.getLogger(DemoMailServer.class);

    private final GreenMail greenMail;
    private final AtomicInteger saved = new AtomicInteger();

    private DemoMailServer(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    public static DemoMailServer start(Path dir) throws FolderException {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        DemoMailServer server = new DemoMailServer(greenMail);
        GreenMailUser user = greenMail.setUser(RECIPIENT, "oncall", "demo");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        inbox.addListener(server.saver(inbox, dir));
        return server;
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    private FolderListener saver(MailFolder inbox, Path dir) {
        return new FolderListener() {
            @Override
            public void added(int msn) {
                List<StoredMessage> messages = inbox.getMessages();
                if (msn < 1 || msn > messages.size()) {
                    return;
                }
                try {
                    ByteArrayOutputStream eml = new ByteArrayOutputStream();
                    messages.get(msn - 1).getMimeMessage().writeTo(eml);
                    Path file = dir.resolve(String.format("%05d.eml", saved.incrementAndGet()));
                    AtomicFiles.write(file, eml.toByteArray());
                } catch (Exception e) {
                    LOG.warn("demo: could not save a received message: {}", e.toString());
                }
            }

            @Override
            public void expunged(int msn) {
            }

            @Override
            public void flagsUpdated(int msn, Flags flags, Long uid) {
            }

            @Override
            public void mailboxDeleted() {
            }
        };
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
