package io.github.polardbopsalerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.polardbopsalerts.simulator.PolarDbSimulator;
import io.github.polardbopsalerts.state.AlertLedger;
import io.github.polardbopsalerts.state.Fingerprint;
import io.github.polardbopsalerts.state.SqliteAlertLedger;
import io.github.polardbopsalerts.state.TrackedTask;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state whose rows cannot be read back stops the run with exit 2 before anything is decided or sent. */
class StateStartupTest {

    @TempDir
    Path dir;

    @Test
    void a_state_row_that_cannot_be_read_back_exits_2_and_sends_nothing() throws Exception {
        Path state = dir.resolve("state");
        try (SqliteAlertLedger ledger = SqliteAlertLedger.open(state, Harness.MAPPER)) {
            ledger.record(List.of(new AlertLedger.Update(new TrackedTask("1", "cn-hangzhou",
                    new Fingerprint(null, null, "0", "S0"), List.of("S0"), Set.of(), 0, Instant.now(), null, "{}"),
                    List.of())), List.of("file"), Instant.now());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + state.resolve("state.db"));
                Statement s = c.createStatement()) {
            s.execute("UPDATE task SET reasons = 'not json'");
        }
        try (PolarDbSimulator simulator = new PolarDbSimulator(Clock.systemUTC()).withCredential(Harness.CREDENTIAL)
                .start()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Map<String, String> env = Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", Harness.CREDENTIAL.accessKeyId(),
                    "ALIBABA_CLOUD_ACCESS_KEY_SECRET", Harness.CREDENTIAL.accessKeySecret(),
                    "POLARDB_ENDPOINT", simulator.endpoint().toString(), "STATE_DIR", state.toString(),
                    "SINK_FILE_DIR", dir.resolve("alerts").toString(), "ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");

            // Alibaba's credential chain reads the JVM's own system properties.
            System.setProperty("alibabacloud.accessKeyId", Harness.CREDENTIAL.accessKeyId());
            System.setProperty("alibabacloud.accessKeySecret", Harness.CREDENTIAL.accessKeySecret());
            int code;
            try {
                code = Application.run(new String[] {"--once"}, env, new Properties(), dir,
                        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
            } finally {
                System.clearProperty("alibabacloud.accessKeyId");
                System.clearProperty("alibabacloud.accessKeySecret");
            }

            assertThat(code).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("state error", "not a readable");
            assertThat(simulator.requestCount()).isZero();
            assertThat(dir.resolve("alerts")).doesNotExist();
        }
    }
}
