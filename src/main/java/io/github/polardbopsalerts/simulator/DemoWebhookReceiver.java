package io.github.polardbopsalerts.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.polardbopsalerts.sink.AtomicFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** --demo's webhook receiver on loopback: saves every request (headers and JSON body) as a file, answers 200. */
public final class DemoWebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger saved = new AtomicInteger();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Path dir;

    private DemoWebhookReceiver(Path dir) throws IOException {
        this.dir = dir;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::save);
        server.start();
    }

    public static DemoWebhookReceiver start(Path dir) throws IOException {
        return new DemoWebhookReceiver(dir);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/polardb");
    }

    private void save(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            ObjectNode record = mapper.createObjectNode();
            record.put("method", exchange.getRequestMethod());
            record.put("uri", exchange.getRequestURI().toString());
            ObjectNode headers = record.putObject("headers");
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(", ", values)));
            try {
                JsonNode json = mapper.readTree(body);
                record.set("body", json);
            } catch (IOException e) {
                record.put("body", new String(body, StandardCharsets.UTF_8));
            }
            AtomicFiles.write(dir.resolve(String.format("%05d.json", saved.incrementAndGet())),
                    mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
            byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
