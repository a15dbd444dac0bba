package io.github.polardbopsalerts.api;

import java.util.concurrent.Semaphore;

/** At most polardb.max-concurrency API requests in flight at once, across regions, pages and the archive. */
public final class ApiGate {

    private final Semaphore permits;

    public ApiGate(int maxInFlight) {
        this.permits = new Semaphore(maxInFlight, true);
    }

    public void enter() throws InterruptedException {
        permits.acquire();
    }

    public void leave() {
        permits.release();
    }
}
