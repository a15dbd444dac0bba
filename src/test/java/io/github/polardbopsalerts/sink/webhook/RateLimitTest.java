package io.github.polardbopsalerts.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.polardbopsalerts.sink.SinkBusyException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The robot's budget: what it allows now, the wait when it is spent, and a robot that asked for time. */
class RateLimitTest {

    @Test
    void counts_down_the_minute_budget() throws Exception {
        RateLimit limit = new RateLimit(20, 0);
        for (int i = 0; i < 7; i++) {
            limit.acquire(Duration.ofSeconds(1));
        }
        assertThat(limit.available()).isEqualTo(13);
    }

    @Test
    void waits_rather_than_exceed_the_per_second_limit() throws Exception {
        RateLimit limit = new RateLimit(0, 3);
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            limit.acquire(Duration.ofSeconds(5));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void a_robot_blocked_for_longer_than_the_wait_allowed_is_busy() {
        RateLimit limit = new RateLimit(20, 0);
        limit.blockFor(Duration.ofMinutes(10));

        assertThatThrownBy(() -> limit.acquire(Duration.ofSeconds(30))).isInstanceOf(SinkBusyException.class)
                .hasMessageContaining("left alone");
    }

    @Test
    void no_limit_for_generic_webhooks() {
        assertThat(new RateLimit(0, 0).available()).isEqualTo(Integer.MAX_VALUE);
    }
}
