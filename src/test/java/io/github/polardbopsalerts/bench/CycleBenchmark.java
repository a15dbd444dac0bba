package io.github.polardbopsalerts.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.polardbopsalerts.simulator.PolarDbSimulator;
import io.github.polardbopsalerts.simulator.TaskGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real --once cycles of the packaged jar, each in its own JVM, against the simulator in this one; beside
 * them the bare client on the same pages. Prints figures, judges nothing. Run by bench/run.sh.
 */
public final class CycleBenchmark {

    record Case(String name, List<String> regions, int perRegion, int latencyMs) {
    }

    record Measured(long cycleMs, long wallMs, long rssKb, long peakHeapMb, int requests, long firstRequestMs,
            String summary) {
    }

    private static final Path JAR = Path.of("target/polardb-ops-alerts.jar").toAbsolutePath();
    private static final Path CLASSES = Path.of("target/test-classes").toAbsolutePath();

    private CycleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> ten = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ten.add("bench-region-" + i);
        }
        List<Case> cases = List.of(new Case("100,000 tasks, 1 region, 1,000 pages of 100, no latency",
                List.of("cn-hangzhou"), 100_000, 0), new Case("10 regions x 1,000 tasks, 50 ms a request", ten, 1000, 50));
        System.out.printf("machine: %d cores, %s %s; java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        for (Case c : cases) {
            run(c);
        }
    }

    private static void run(Case c) throws Exception {
        System.out.println();
        System.out.println("== " + c.name());
        try (PolarDbSimulator sim = new PolarDbSimulator(Clock.systemUTC())
                .withCredential(new io.github.polardbopsalerts.api.ApiCredential("demo-access-key-id",
                        "demo-access-key-secret", null))
                .withTasks(new TaskGenerator(new ObjectMapper()).generate(20261204L, c.regions(), c.perRegion(),
                        java.time.Instant.now()))
                .latency(Duration.ofMillis(c.latencyMs())).frozen().start()) {
            long tasks = (long) c.regions().size() * c.perRegion();
            int requestsBefore = sim.acceptedRequestCount();
            long bareMs = bare(sim, c);
            int bareRequests = sim.acceptedRequestCount() - requestsBefore;
            System.out.printf("bare client: %d ms, %d requests, %.0f tasks/s%n", bareMs, bareRequests,
                    tasks * 1000.0 / bareMs);
            Path work = Files.createTempDirectory("bench");
            Measured cold = once(sim, c, work, "default JVM, first cycle (every urgent task alerted)", List.of());
            Measured warm = once(sim, c, work, "default JVM, steady cycle (nothing new to send)", List.of());
            Path tunedWork = Files.createTempDirectory("bench-tuned");
            List<String> tuned = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + classArchive());
            once(sim, c, tunedWork, "tuned JVM, first cycle", tuned);
            once(sim, c, tunedWork, "tuned JVM, steady cycle", tuned);
            double latencyBound = c.latencyMs() == 0 ? 0
                    : Math.ceil(bareRequests / 4.0) * c.latencyMs();
            System.out.printf("ratio steady cycle / bare client: %.2f%n", warm.cycleMs() / (double) bareMs);
            if (latencyBound > 0) {
                System.out.printf("latency bound (%d requests, 4 in flight): %.0f ms; steady cycle %.2fx%n",
                        bareRequests, latencyBound, warm.cycleMs() / latencyBound);
            }
            System.out.printf("cold first cycle: %s%n", cold.summary());
        }
    }

    private static long bare(PolarDbSimulator sim, Case c) throws Exception {
        Process p = new ProcessBuilder(java(), "-cp", JAR + ":" + CLASSES, "io.github.polardbopsalerts.bench.BareClient",
                sim.endpoint().toString(), String.join(",", c.regions()), "100", "4").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.MINUTES);
        Matcher m = Pattern.compile("fetch_ms=(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("bare client: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    private static Measured once(PolarDbSimulator sim, Case c, Path work, String label, List<String> jvm)
            throws Exception {
        Path gc = work.resolve("gc-" + System.nanoTime() + ".log");
        Path timeOut = work.resolve("time.txt");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M %e", "-o", timeOut.toString(), java(),
                "-Xlog:gc:file=" + gc));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", JAR.toString(), "--once"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", "demo-access-key-id");
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "demo-access-key-secret");
        env.put("POLARDB_ENDPOINT", sim.endpoint().toString());
        env.put("POLARDB_REGIONS", String.join(",", c.regions()));
        int requestsBefore = sim.acceptedRequestCount();
        int arrivalsBefore = sim.acceptedArrivalNanos().size();
        long started = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.MINUTES);
        long wall = (System.nanoTime() - started) / 1_000_000;
        long first = (sim.acceptedArrivalNanos().get(arrivalsBefore) - started) / 1_000_000;
        Matcher cycle = Pattern.compile("cycle (ok|FAILED): .*, (\\d+) ms").matcher(out);
        long cycleMs = cycle.find() ? Long.parseLong(cycle.group(2)) : -1;
        String[] time = Files.readString(timeOut).trim().split("\\s+");
        long rss = Long.parseLong(time[time.length - 2]);
        long heap = peakHeapMb(gc);
        int requests = sim.acceptedRequestCount() - requestsBefore;
        long tasks = (long) c.regions().size() * c.perRegion();
        String summary = String.format("cycle %d ms (%.0f tasks/s), process %d ms, first request %d ms after start,"
                + " %d requests, peak heap %d MB, max RSS %d MB", cycleMs, tasks * 1000.0 / Math.max(cycleMs, 1), wall,
                first, requests, heap, rss / 1024);
        System.out.println(label + ": " + summary);
        return new Measured(cycleMs, wall, rss, heap, requests, first, summary);
    }

    private static Path archive;

    /** An application class-data archive (AppCDS), made once by a --demo --once run, as the Dockerfile does. */
    static synchronized Path classArchive() throws Exception {
        if (archive == null) {
            Path dir = Files.createTempDirectory("bench-cds");
            archive = dir.resolve("app.jsa");
            ProcessBuilder pb = new ProcessBuilder(java(), "-XX:ArchiveClassesAtExit=" + archive, "-jar", JAR.toString(),
                    "--demo", "--once").directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("cds.log").toFile());
            pb.environment().put("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
            pb.start().waitFor(5, TimeUnit.MINUTES);
            System.out.println("tuned JVM: -Xmx128m -XX:+UseSerialGC -XX:SharedArchiveFile (AppCDS from a --demo --once run)");
        }
        return archive;
    }

    /** The largest heap occupancy before a collection, from the JVM's own GC log. */
    static long peakHeapMb(Path gcLog) throws IOException {
        long peak = 0;
        Matcher m = Pattern.compile("(\\d+)M->(\\d+)M").matcher(Files.readString(gcLog));
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)));
        }
        return peak;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
