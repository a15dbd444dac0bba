package io.github.polardbopsalerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.api.ApiCredential;
import io.github.polardbopsalerts.simulator.PolarDbSimulator;
import io.github.polardbopsalerts.simulator.TaskGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state in state.dir across a hard kill and a damaged file, with the packaged jar in its own JVM. */
class StateRecoveryIT {

    static final ApiCredential KEY = new ApiCredential("it-state-key", "it-state-secret", null);

    @TempDir
    Path work;
    PolarDbSimulator simulator;
    List<ObjectNode> tasks;
    Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        tasks = new TaskGenerator(Harness.MAPPER).generate(11, List.of("cn-hangzhou"), 24_000, Instant.now());
        simulator = new PolarDbSimulator(Clock.systemUTC()).withCredential(KEY).withTasks(tasks).start();
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY.accessKeyId());
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", KEY.accessKeySecret());
        env.put("POLARDB_ENDPOINT", simulator.endpoint().toString());
        // The daemon's management server on any free port, never a fixed one another process may hold.
        env.put("CAMEL_MANAGEMENT_PORT", "0");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    /** The contract's rule written out on the generated data: TaskIds that must alert. */
    private Set<String> expectedAlertIds() {
        Instant window = Instant.now().plus(Duration.ofHours(72));
        return tasks.stream().filter(t -> {
            boolean mustAct = t.get("ChangeLevel").asText().equals("S0") || t.get("AllowCancel").asText().equals("0");
            String d = t.get("Deadline").asText();
            return mustAct && t.get("Status").asInt() <= 3 && (d.isEmpty() || Instant.parse(d).isBefore(window));
        }).map(t -> t.get("TaskId").asText() + "/urgent").collect(Collectors.toSet());
    }

    /** Every alertId in the alert log; each line must be whole. */
    private List<String> loggedAlertIds() throws IOException {
        return loggedAlertIds(false);
    }

    /**
     * The alertIds in the alert log. While a process is still writing, or after it was killed, the last line may
     * be only partly on disk; {@code partialTail} leaves out a last line that has no line end yet. The run that
     * follows must cut it off before it appends, so whole lines are demanded again after it.
     */
    private List<String> loggedAlertIds(boolean partialTail) throws IOException {
        Path dir = work.resolve("data/alerts");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().flatMap(f -> {
                try {
                    // Bytes first: a torn tail may end inside a multi-byte character.
                    byte[] bytes = Files.readAllBytes(f);
                    int end = bytes.length;
                    if (partialTail) {
                        while (end > 0 && bytes[end - 1] != '\n') {
                            end--;
                        }
                    }
                    return new String(bytes, 0, end, StandardCharsets.UTF_8).lines();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(line -> {
                try {
                    return Harness.MAPPER.readTree(line).get("alertId").asText();
                } catch (IOException e) {
                    throw new AssertionError("not a whole JSON line: " + line, e);
                }
            }).toList();
        }
    }

    @Test
    void a_daemon_killed_with_sigkill_while_delivering_loses_no_alert_when_restarted() throws Exception {
        Set<String> expected = expectedAlertIds();
        Process daemon = Jar.start(work, env);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(2))
                .until(() -> loggedAlertIds(true).size() >= 200);
        daemon.destroyForcibly();
        assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        int beforeKill = loggedAlertIds(true).size();
        assertThat(beforeKill).as("killed in the middle of delivering").isLessThan(expected.size());

        Jar.Run restarted = Jar.run(work, env, "--once");

        assertThat(restarted.exitCode()).as(restarted.stderr()).isZero();
        List<String> logged = loggedAlertIds();
        assertThat(Set.copyOf(logged)).isEqualTo(expected);
        Map<String, Long> copies = logged.stream().collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting()));
        // The group being written or confirmed at the kill is found at the end of the log on restart and
        // confirmed without being written again: the file sink holds each alert once.
        assertThat(copies.values().stream().filter(n -> n > 1).count()).isZero();
        assertThat(logged).hasSize(expected.size());

        Jar.Run again = Jar.run(work, env, "--once");
        assertThat(again.exitCode()).isZero();
        assertThat(loggedAlertIds()).hasSize(logged.size());
    }

    @Test
    void a_damaged_state_file_stops_the_run_with_exit_2_and_sends_nothing() throws Exception {
        Path state = Files.createDirectories(work.resolve("data/state"));
        Files.write(state.resolve("state.db"), "damaged ".repeat(1000).getBytes());

        Jar.Run r = Jar.run(work, env, "--once");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("state error", "state.db is not a readable polardb-ops-alerts state",
                "move state.dir aside");
        assertThat(simulator.requestCount()).isZero();
        assertThat(loggedAlertIds()).isEmpty();
    }
}
