package io.github.polardbopsalerts;

/** How the process runs: whether the poll timer runs, and whether anything is recorded or delivered. */
public enum RunMode {

    /** One cycle, delivered and recorded (--once). */
    ONCE(false, true),
    /** A cycle every poll.interval until SIGTERM. */
    DAEMON(true, true),
    /** One cycle, rendered and printed; nothing delivered or recorded (--dry-run --once). */
    DRY_RUN_ONCE(false, false),
    /** Cycles every poll.interval, printed; nothing delivered or recorded (--dry-run). */
    DRY_RUN_DAEMON(true, false),
    /** A sample alert to every sink; nothing recorded (--send-test). */
    SEND_TEST(false, false),
    /** One archive snapshot (--archive-now); the alert state is not touched. */
    ARCHIVE_NOW(false, false);

    public final boolean daemon;
    /** False: the state, last-cycle.json and dead-letter files are left as they are. */
    public final boolean record;

    RunMode(boolean daemon, boolean record) {
        this.daemon = daemon;
        this.record = record;
    }

    public boolean dryRun() {
        return this == DRY_RUN_ONCE || this == DRY_RUN_DAEMON;
    }
}
