package io.github.polardbopsalerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.polardbopsalerts.api.ApiCredential;
import io.github.polardbopsalerts.api.CredentialSource;
import io.github.polardbopsalerts.config.Settings;
import io.github.polardbopsalerts.poll.CycleReport;
import io.github.polardbopsalerts.simulator.PolarDbSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs the real routes in-process against a simulator on loopback, with files in a temporary folder. */
public final class Harness {

    public static final ApiCredential CREDENTIAL = new ApiCredential("test-key-id", "test-key-secret", null);
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Harness() {
    }

    /** Settings for a fast test: short retries, files under dir, the simulator's endpoint. */
    public static Map<String, String> settings(PolarDbSimulator simulator, Path dir) {
        Map<String, String> m = new HashMap<>();
        m.put("polardb.endpoint", simulator.endpoint().toString());
        m.put("polardb.retry.initial-delay", "10ms");
        m.put("polardb.retry.max-delay", "100ms");
        m.put("sink.retry.initial-delay", "10ms");
        m.put("sink.retry.max-delay", "50ms");
        m.put("polardb.timeout", "2s");
        m.put("sink.file.dir", dir.resolve("alerts").toString());
        m.put("state.dir", dir.resolve("state").toString());
        m.put("archive.dir", dir.resolve("archive").toString());
        return m;
    }

    public static CycleReport runOnce(Map<String, String> settings) throws Exception {
        return runOnce(settings, CREDENTIAL);
    }

    public static CycleReport runOnce(Map<String, String> settings, ApiCredential credential) throws Exception {
        return runOnce(settings, credential, Clock.systemUTC());
    }

    /** One cycle in a fresh runtime, as a cron run with --once does, at the time the clock gives. */
    public static CycleReport runOnce(Map<String, String> settings, Clock clock) throws Exception {
        return runOnce(settings, CREDENTIAL, clock);
    }

    public static CycleReport runOnce(Map<String, String> settings, ApiCredential credential, Clock clock)
            throws Exception {
        Settings s = Settings.of(settings).validated();
        try (AlertsRuntime runtime = new AlertsRuntime(s, CredentialSource.fixed(credential), clock, RunMode.ONCE)) {
            runtime.start();
            return runtime.runCycle();
        }
    }

    /** One archive snapshot in a fresh runtime, as --archive-now takes it; returns the manifest. */
    public static com.fasterxml.jackson.databind.node.ObjectNode archiveNow(Map<String, String> settings, Clock clock)
            throws Exception {
        Settings s = Settings.of(settings).validated();
        try (AlertsRuntime runtime = new AlertsRuntime(s, CredentialSource.fixed(CREDENTIAL), clock, RunMode.ARCHIVE_NOW)) {
            runtime.start();
            return runtime.archiveNow();
        }
    }

    /** Every alert document the file sink wrote under dir. */
    public static List<JsonNode> alerts(Path dir) {
        Path alerts = dir.resolve("alerts");
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(alerts)) {
            return out;
        }
        try (Stream<Path> files = Files.list(alerts)) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    out.add(MAPPER.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
