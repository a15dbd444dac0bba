package io.github.polardbopsalerts.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.camel.Exchange;

/** The file sink: one alert document a line in sink.file.dir/alerts-YYYY-MM-DD.jsonl (UTC date). */
public final class JsonLinesAlertLog {

    public static final String SINK = "file";

    private final Path dir;
    private final Clock clock;
    private final ObjectMapper mapper;

    public JsonLinesAlertLog(Path dir, Clock clock, ObjectMapper mapper) {
        this.dir = dir;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** Appends the alert in the body as one whole line, on disk before this returns. */
    public void append(Exchange exchange) throws IOException {
        ObjectNode alert = exchange.getMessage().getBody(ObjectNode.class);
        byte[] json = mapper.writeValueAsBytes(alert);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        Path file = fileFor(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        synchronized (this) {
            AtomicFiles.append(file, line);
        }
    }

    public Path fileFor(LocalDate date) {
        return dir.resolve("alerts-" + date + ".jsonl");
    }
}
