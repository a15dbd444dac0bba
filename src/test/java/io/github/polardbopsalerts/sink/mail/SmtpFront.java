package io.github.polardbopsalerts.sink.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real SMTP peer in front of GreenMail for what GreenMail does not do: STARTTLS, implicit TLS with a test
 * certificate, a server that offers no STARTTLS, and one that refuses every recipient with 550. It records
 * every line the client sends after TLS (or all, without TLS), so a test can see where AUTH went.
 */
final class SmtpFront implements AutoCloseable {

    enum Mode { STARTTLS, IMPLICIT_TLS, NO_STARTTLS, REJECT_RECIPIENTS, DEFER_RECIPIENTS }

    private final Mode mode;
    private final int backendPort;
    private final SSLContext tls;
    private final ServerSocket server;
    final List<String> clientLines = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();

    SmtpFront(Mode mode, int backendPort, SSLContext tls) throws IOException {
        this.mode = mode;
        this.backendPort = backendPort;
        this.tls = tls;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "smtp-front");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(client), "smtp-front-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            switch (mode) {
                case IMPLICIT_TLS -> relay(upgrade(client), false);
                case STARTTLS -> {
                    Socket upgraded = negotiateStartTls(client);
                    if (upgraded != null) {
                        relay(upgraded, true);
                    }
                }
                case NO_STARTTLS -> converse(client, null);
                case REJECT_RECIPIENTS -> converse(client, "550 5.1.1 Recipient address rejected: policy");
                case DEFER_RECIPIENTS -> converse(client, "451 4.3.0 Try again later");
            }
        } catch (IOException e) {
            // The client hung up; nothing to do.
        }
    }

    private SSLSocket upgrade(Socket plain) throws IOException {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), false);
        s.setUseClientMode(false);
        s.startHandshake();
        return s;
    }

    private Socket negotiateStartTls(Socket client) throws IOException {
        OutputStream out = client.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        write(out, "220 front ESMTP\r\n");
        String line;
        while ((line = in.readLine()) != null) {
            String cmd = line.toUpperCase();
            if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) {
                write(out, "250-front\r\n250-STARTTLS\r\n250 8BITMIME\r\n");
            } else if (cmd.startsWith("STARTTLS")) {
                write(out, "220 2.0.0 Ready to start TLS\r\n");
                return upgrade(client);
            } else if (cmd.startsWith("QUIT")) {
                write(out, "221 bye\r\n");
                return null;
            } else {
                clientLines.add("PLAIN " + line);
                write(out, "530 5.7.0 Must issue a STARTTLS command first\r\n");
            }
        }
        return null;
    }

    /** Pipes the client to GreenMail; after STARTTLS, GreenMail's own greeting is not the client's business. */
    private void relay(Socket client, boolean swallowGreeting) throws IOException {
        try (Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
            InputStream fromBackend = backend.getInputStream();
            if (swallowGreeting) {
                int c;
                while ((c = fromBackend.read()) != -1 && c != '\n') {
                    // drop "220 ... ready"
                }
            }
            Thread down = new Thread(() -> pipe(fromBackend, client, null), "smtp-front-down");
            down.setDaemon(true);
            down.start();
            pipe(client.getInputStream(), backend, clientLines);
        }
    }

    private void converse(Socket client, String recipientReply) throws IOException {
        OutputStream out = client.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        write(out, "220 front ESMTP\r\n");
        String line;
        while ((line = in.readLine()) != null) {
            clientLines.add(line);
            String cmd = line.toUpperCase();
            if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) {
                write(out, "250-front\r\n250 8BITMIME\r\n");
            } else if (cmd.startsWith("RCPT") && recipientReply != null) {
                write(out, recipientReply + "\r\n");
            } else if (cmd.startsWith("QUIT")) {
                write(out, "221 bye\r\n");
                return;
            } else {
                write(out, "250 ok\r\n");
            }
        }
    }

    private static void pipe(InputStream from, Socket to, List<String> record) {
        StringBuilder current = new StringBuilder();
        byte[] buf = new byte[8192];
        try {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = from.read(buf)) != -1) {
                out.write(buf, 0, n);
                out.flush();
                if (record != null) {
                    for (int i = 0; i < n; i++) {
                        char c = (char) (buf[i] & 0xff);
                        if (c == '\n') {
                            record.add(current.toString().strip());
                            current.setLength(0);
                        } else {
                            current.append(c);
                        }
                    }
                }
            }
            to.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            // One side closed.
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
