package io.github.polardbopsalerts.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole lines or nothing, even after a crash left half a line behind. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private static byte[] line(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appends_whole_lines() throws Exception {
        Path f = dir.resolve("sub/log.jsonl");
        AtomicFiles.append(f, line("{\"a\":1}"));
        AtomicFiles.append(f, line("{\"a\":2}"));

        assertThat(Files.readAllLines(f)).containsExactly("{\"a\":1}", "{\"a\":2}");
    }

    @Test
    void cuts_off_a_partial_last_line_before_appending() throws Exception {
        Path f = dir.resolve("log.jsonl");
        String longLine = "{\"pad\":\"" + "x".repeat(9000) + "\"}";
        Files.writeString(f, longLine + "\n{\"torn\":tru");

        AtomicFiles.append(f, line("{\"a\":3}"));

        assertThat(Files.readAllLines(f)).containsExactly(longLine, "{\"a\":3}");
    }

    @Test
    void a_file_holding_only_a_partial_line_starts_over() throws Exception {
        Path f = dir.resolve("log.jsonl");
        Files.writeString(f, "x".repeat(10_000));

        AtomicFiles.append(f, line("{\"a\":4}"));

        assertThat(Files.readAllLines(f)).containsExactly("{\"a\":4}");
    }
}
