package io.github.polardbopsalerts.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The simulator in a process of its own, for benchmarks that measure the daemon apart from it:
 * {@code java -cp polardb-ops-alerts.jar io.github.polardbopsalerts.simulator.SimulatorMain
 * --regions cn-hangzhou,cn-beijing --tasks-per-region 1000 --latency-ms 50 [--port 0]}. It accepts the
 * demo credential and prints "endpoint http://127.0.0.1:PORT" once it listens; it stops on SIGTERM.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> regions = List.of("cn-hangzhou");
        int perRegion = 1000;
        long latency = 0;
        int port = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--regions" -> regions = Arrays.asList(args[i + 1].split(","));
                case "--tasks-per-region" -> perRegion = Integer.parseInt(args[i + 1]);
                case "--latency-ms" -> latency = Long.parseLong(args[i + 1]);
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Clock clock = Clock.systemUTC();
        PolarDbSimulator simulator = new PolarDbSimulator(clock).withCredential(Demo.CREDENTIAL)
                .withTasks(new TaskGenerator(new ObjectMapper()).generate(Demo.SEED, regions, perRegion, clock.instant()))
                .latency(Duration.ofMillis(latency))
                .frozen()
                .start(port);
        System.out.println("endpoint " + simulator.endpoint());
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stop.countDown();
        }));
        stop.await();
    }
}
