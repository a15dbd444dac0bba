package io.github.polardbopsalerts.sink.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP server on loopback that records each webhook request and answers from a script, then 200. */
final class WebhookReceiver implements AutoCloseable {

    record Request(String uri, Map<String, List<String>> headers, String body, long atNanos) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null ? null : v.get(0);
        }
    }

    record Answer(int status, String body, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile String okBody;
    final List<Request> requests = new CopyOnWriteArrayList<>();

    WebhookReceiver(String okBody) throws IOException {
        this.okBody = okBody;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    WebhookReceiver then(int status, String body, Map<String, String> headers) {
        script.add(new Answer(status, body, headers));
        return this;
    }

    void answerAlways(String body) {
        okBody = body;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(exchange.getRequestHeaders());
            requests.add(new Request(exchange.getRequestURI().toString(), headers, body, System.nanoTime()));
            Answer a = script.poll();
            if (a == null) {
                a = new Answer(200, okBody, Map.of());
            }
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
