package io.github.polardbopsalerts.sink.webhook;

import io.github.polardbopsalerts.sink.SinkBusyException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A robot's message budget: at most so many a minute and a second, on the monotonic clock, across cycles;
 * and a time before which it must not be asked at all (after it said so).
 */
final class RateLimit {

    private static final long MINUTE = Duration.ofMinutes(1).toNanos();
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final int perMinute;
    private final int perSecond;
    private final Deque<Long> sent = new ArrayDeque<>();
    private long blockedUntil = System.nanoTime();

    RateLimit(int perMinute, int perSecond) {
        this.perMinute = perMinute;
        this.perSecond = perSecond;
    }

    /** Messages that may go now without waiting. */
    synchronized int available() {
        if (perMinute == 0) {
            return Integer.MAX_VALUE;
        }
        forget(System.nanoTime());
        return Math.max(0, perMinute - sent.size());
    }

    /** Waits for a slot and takes it; a robot blocked for longer than {@code maxWait} is a busy sink. */
    synchronized void acquire(Duration maxWait) throws SinkBusyException, InterruptedException {
        long now = System.nanoTime();
        if (blockedUntil - now > maxWait.toNanos()) {
            throw new SinkBusyException("the robot asked to be left alone for another "
                    + Duration.ofNanos(blockedUntil - now).toSeconds() + " s");
        }
        while (true) {
            now = System.nanoTime();
            forget(now);
            long wait = Math.max(blockedUntil - now, 0);
            if (perMinute > 0 && sent.size() >= perMinute) {
                wait = Math.max(wait, sent.peekFirst() + MINUTE - now);
            }
            if (perSecond > 0) {
                long inLastSecond = sent.stream().filter(t -> t > System.nanoTime() - SECOND).count();
                if (inLastSecond >= perSecond) {
                    long oldest = sent.stream().filter(t -> t > System.nanoTime() - SECOND).findFirst().orElse(now);
                    wait = Math.max(wait, oldest + SECOND - now);
                }
            }
            if (wait <= 0) {
                sent.addLast(now);
                return;
            }
            // Sending now would break the robot's limit (and for DingTalk block it for ten minutes).
            wait(Math.max(1, wait / 1_000_000), (int) (wait % 1_000_000));
        }
    }

    /** The robot said to wait (Retry-After, a throttling code). */
    synchronized void blockFor(Duration d) {
        blockedUntil = Math.max(blockedUntil, System.nanoTime() + d.toNanos());
    }

    private void forget(long now) {
        while (!sent.isEmpty() && sent.peekFirst() <= now - MINUTE) {
            sent.removeFirst();
        }
    }
}
