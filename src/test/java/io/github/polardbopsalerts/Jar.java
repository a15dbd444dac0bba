package io.github.polardbopsalerts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run the way an operator does: java -jar, from another directory, in a clean environment. */
public final class Jar {

    static final Path JAR = Path.of("target/polardb-ops-alerts.jar").toAbsolutePath();

    /** What a finished run printed and returned. */
    public record Run(int exitCode, String stdout, String stderr) {
    }

    private Jar() {
    }

    /** Starts the jar in {@code work} with only PATH, HOME, the metadata guard and {@code extraEnv}. */
    public static Process start(Path work, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", work.resolve("home").toString());
        env.put("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
        env.putAll(extraEnv);
        return pb.redirectOutput(work.resolve("stdout.txt").toFile()).redirectError(work.resolve("stderr.txt").toFile())
                .start();
    }

    /** Runs the jar to its end (at most two minutes) and returns what it printed. */
    public static Run run(Path work, Map<String, String> extraEnv, String... args) throws Exception {
        Process p = start(work, extraEnv, args);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the jar did not finish in 120 s");
        }
        Path out = work.resolve("stdout.txt");
        Path err = work.resolve("stderr.txt");
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
