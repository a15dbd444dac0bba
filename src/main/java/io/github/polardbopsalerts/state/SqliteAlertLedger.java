package io.github.polardbopsalerts.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The ledger in one SQLite file, state.dir/state.db. SQLite's write-ahead log makes each transaction
 * atomic across a killed process; synchronous=NORMAL may lose the last transactions on power loss, which
 * at worst repeats an alert (the task is decided again from the API), never loses one. A lock file keeps
 * a second process off the same state.dir.
 */
public final class SqliteAlertLedger implements AlertLedger {

    /** 1: the first; 2: task.reopened_after, for tasks listed again after a resolved alert said they were gone. */
    static final int SCHEMA_VERSION = 2;
    public static final String FILE = "state.db";
    private static final int BATCH = 200;
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private final Path file;
    private final ObjectMapper mapper;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Connection db;
    /** The schema the file has: a read-only snapshot of a version 1 file is read as it is. */
    private int version = SCHEMA_VERSION;

    private SqliteAlertLedger(Path file, ObjectMapper mapper, FileChannel lockChannel, FileLock lock, Connection db) {
        this.file = file;
        this.mapper = mapper;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.db = db;
    }

    /** Opens (or creates) the ledger in {@code stateDir}; refuses a corrupt, foreign or busy one. */
    public static SqliteAlertLedger open(Path stateDir, ObjectMapper mapper) {
        Path file = stateDir.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(stateDir);
            channel = FileChannel.open(stateDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new StateException("state.dir " + stateDir.toAbsolutePath() + " is in use by another"
                        + " polardb-ops-alerts process; give each instance its own state.dir");
            }
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            SqliteAlertLedger ledger = new SqliteAlertLedger(file, mapper, channel, lock, db);
            try {
                ledger.prepare();
            } catch (SQLException | RuntimeException e) {
                ledger.close();
                throw e;
            }
            return ledger;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StateException("state.dir " + stateDir.toAbsolutePath() + " cannot be used: " + e, e);
        } catch (SQLException e) {
            closeQuietly(channel);
            throw unreadable(file, e);
        } catch (StateException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * What the state in {@code stateDir} remembers, read without taking the lock or writing anything (a
     * running daemon may hold it); empty when there is no state yet. For --dry-run.
     */
    public static Map<String, TrackedTask> snapshot(Path stateDir, ObjectMapper mapper) {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setReadOnly(true);
        try (Connection db = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement s = db.createStatement();
                ResultSet v = s.executeQuery("PRAGMA user_version")) {
            int version = v.next() ? v.getInt(1) : 0;
            if (version > SCHEMA_VERSION) {
                throw new StateException(file.toAbsolutePath() + " was written by a newer polardb-ops-alerts");
            }
            if (version == 0) {
                return Map.of();
            }
            SqliteAlertLedger reader = new SqliteAlertLedger(file, mapper, null, null, db);
            reader.version = version;
            return reader.tasks();
        } catch (SQLException e) {
            throw unreadable(file, e);
        }
    }

    private void prepare() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            try (ResultSet check = s.executeQuery("PRAGMA quick_check")) {
                String verdict = check.next() ? check.getString(1) : "no answer";
                if (!"ok".equals(verdict)) {
                    throw unreadable(file, new SQLException("integrity check: " + verdict));
                }
            }
            int version;
            try (ResultSet v = s.executeQuery("PRAGMA user_version")) {
                version = v.next() ? v.getInt(1) : 0;
            }
            if (version > SCHEMA_VERSION) {
                throw new StateException(file.toAbsolutePath() + " was written by a newer polardb-ops-alerts (state"
                        + " schema " + version + ", this version reads " + SCHEMA_VERSION + "); run that version");
            }
            if (version == 0) {
                db.setAutoCommit(false);
                s.execute("""
                        CREATE TABLE task (
                          task_key TEXT PRIMARY KEY,
                          scope TEXT NOT NULL,
                          deadline TEXT, switch_time TEXT, allow_cancel TEXT, change_level TEXT,
                          reasons TEXT NOT NULL,
                          reminders_done TEXT NOT NULL,
                          changes INTEGER NOT NULL,
                          first_alerted_at INTEGER NOT NULL,
                          resolved_at INTEGER,
                          last_item TEXT NOT NULL,
                          reopened_after INTEGER)""");
                s.execute("""
                        CREATE TABLE alert (
                          alert_id TEXT PRIMARY KEY,
                          task_key TEXT NOT NULL,
                          kind TEXT NOT NULL,
                          created_at INTEGER NOT NULL,
                          document TEXT NOT NULL)""");
                s.execute("CREATE INDEX alert_task ON alert(task_key)");
                s.execute("""
                        CREATE TABLE delivery (
                          alert_id TEXT NOT NULL,
                          sink TEXT NOT NULL,
                          state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
                          updated_at INTEGER NOT NULL,
                          detail TEXT,
                          PRIMARY KEY (alert_id, sink))""");
                s.execute("CREATE INDEX delivery_pending ON delivery(sink, state)");
                s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
                db.commit();
            } else if (version == 1) {
                // Upgrade in place, in one transaction: every row keeps its meaning (none was reopened).
                db.setAutoCommit(false);
                s.execute("ALTER TABLE task ADD COLUMN reopened_after INTEGER");
                s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
                db.commit();
            }
            db.setAutoCommit(true);
        }
    }

    @Override
    public synchronized Map<String, TrackedTask> tasks() {
        Map<String, TrackedTask> out = new HashMap<>();
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT task_key, scope, deadline, switch_time, allow_cancel,"
                        + " change_level, reasons, reminders_done, changes, first_alerted_at, resolved_at, last_item, "
                        + (version >= 2 ? "reopened_after" : "NULL") + " FROM task")) {
            while (r.next()) {
                long resolved = r.getLong(11);
                Instant resolvedAt = r.wasNull() ? null : Instant.ofEpochMilli(resolved);
                long reopened = r.getLong(13);
                Instant reopenedAfter = r.wasNull() ? null : Instant.ofEpochMilli(reopened);
                TrackedTask t = new TrackedTask(r.getString(1), r.getString(2),
                        new Fingerprint(r.getString(3), r.getString(4), r.getString(5), r.getString(6)),
                        mapper.readValue(r.getString(7), STRINGS), labels(r.getString(8)), r.getInt(9),
                        Instant.ofEpochMilli(r.getLong(10)), resolvedAt, r.getString(12), reopenedAfter);
                out.put(t.taskKey(), t);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw unreadable(file, e);
        }
        return out;
    }

    @Override
    public synchronized void record(List<Update> updates,
            java.util.function.Function<ObjectNode, ? extends Collection<String>> sinksFor, Instant at) {
        if (updates.isEmpty()) {
            return;
        }
        try {
            db.setAutoCommit(false);
            try (PreparedStatement task = db.prepareStatement("""
                    INSERT INTO task (task_key, scope, deadline, switch_time, allow_cancel, change_level, reasons,
                      reminders_done, changes, first_alerted_at, resolved_at, last_item, reopened_after)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (task_key) DO UPDATE SET scope = excluded.scope, deadline = excluded.deadline,
                      switch_time = excluded.switch_time, allow_cancel = excluded.allow_cancel,
                      change_level = excluded.change_level, reasons = excluded.reasons,
                      reminders_done = excluded.reminders_done, changes = excluded.changes,
                      resolved_at = excluded.resolved_at, last_item = excluded.last_item,
                      reopened_after = excluded.reopened_after""");
                    PreparedStatement alert = db.prepareStatement("INSERT OR IGNORE INTO alert"
                            + " (alert_id, task_key, kind, created_at, document) VALUES (?, ?, ?, ?, ?)");
                    PreparedStatement delivery = db.prepareStatement("INSERT OR IGNORE INTO delivery"
                            + " (alert_id, sink, state, updated_at) VALUES (?, ?, 'pending', ?)")) {
                for (Update u : updates) {
                    bindTask(task, u.task());
                    task.executeUpdate();
                    for (ObjectNode doc : u.alerts()) {
                        String id = doc.path("alertId").asText();
                        alert.setString(1, id);
                        alert.setString(2, u.task().taskKey());
                        alert.setString(3, doc.path("kind").asText());
                        alert.setLong(4, at.toEpochMilli());
                        alert.setString(5, mapper.writeValueAsString(doc));
                        if (alert.executeUpdate() == 0) {
                            continue;
                        }
                        for (String sink : sinksFor.apply(doc)) {
                            delivery.setString(1, id);
                            delivery.setString(2, sink);
                            delivery.setLong(3, at.toEpochMilli());
                            delivery.executeUpdate();
                        }
                    }
                }
            }
            db.commit();
        } catch (SQLException | JsonProcessingException e) {
            rollback();
            throw new StateException("cannot record alerts in " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        } finally {
            autoCommit();
        }
    }

    private void bindTask(PreparedStatement p, TrackedTask t) throws SQLException, JsonProcessingException {
        p.setString(1, t.taskKey());
        p.setString(2, t.scope());
        p.setString(3, t.fingerprint().deadline());
        p.setString(4, t.fingerprint().switchTime());
        p.setString(5, t.fingerprint().allowCancel());
        p.setString(6, t.fingerprint().changeLevel());
        p.setString(7, mapper.writeValueAsString(t.reasons()));
        p.setString(8, String.join(",", new TreeSet<>(t.remindersDone())));
        p.setInt(9, t.changes());
        p.setLong(10, t.firstAlertedAt().toEpochMilli());
        if (t.resolvedAt() == null) {
            p.setNull(11, java.sql.Types.INTEGER);
        } else {
            p.setLong(11, t.resolvedAt().toEpochMilli());
        }
        p.setString(12, t.lastItem());
        if (t.reopenedAfter() == null) {
            p.setNull(13, java.sql.Types.INTEGER);
        } else {
            p.setLong(13, t.reopenedAfter().toEpochMilli());
        }
    }

    @Override
    public synchronized Set<String> sinksHolding(String taskKey) {
        try (PreparedStatement p = db.prepareStatement("SELECT DISTINCT d.sink FROM delivery d"
                + " JOIN alert a ON a.alert_id = d.alert_id WHERE a.task_key = ?")) {
            p.setString(1, taskKey);
            Set<String> out = new java.util.HashSet<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StateException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Iterator<ObjectNode> pending(String sink) {
        return new Iterator<>() {
            private final Deque<ObjectNode> batch = new ArrayDeque<>();
            private long after = 0;
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                if (batch.isEmpty() && !exhausted) {
                    exhausted = fetch(sink, after, batch) < BATCH;
                    if (!batch.isEmpty()) {
                        after = batch.peekLast().path("_rowid").asLong();
                        batch.forEach(d -> d.remove("_rowid"));
                    }
                }
                return !batch.isEmpty();
            }

            @Override
            public ObjectNode next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.poll();
            }
        };
    }

    private synchronized int fetch(String sink, long afterRowId, Deque<ObjectNode> into) {
        try (PreparedStatement p = db.prepareStatement("SELECT a.rowid, a.document FROM delivery d"
                + " JOIN alert a ON a.alert_id = d.alert_id WHERE d.sink = ? AND d.state = 'pending' AND a.rowid > ?"
                + " ORDER BY a.rowid LIMIT " + BATCH)) {
            p.setString(1, sink);
            p.setLong(2, afterRowId);
            int n = 0;
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    ObjectNode doc = (ObjectNode) mapper.readTree(r.getString(2));
                    doc.put("_rowid", r.getLong(1));
                    into.add(doc);
                    n++;
                }
            }
            return n;
        } catch (SQLException | JsonProcessingException e) {
            throw new StateException("cannot read pending alerts from " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long pendingCount(String sink) {
        try (PreparedStatement p = db.prepareStatement(
                "SELECT count(*) FROM delivery WHERE sink = ? AND state = 'pending'")) {
            p.setString(1, sink);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new StateException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void delivered(Collection<String> alertIds, String sink, Instant at) {
        if (alertIds.size() == 1) {
            settle(alertIds.iterator().next(), sink, "delivered", null, at);
            return;
        }
        try {
            db.setAutoCommit(false);
            try (PreparedStatement p = db.prepareStatement(
                    "UPDATE delivery SET state = 'delivered', detail = NULL, updated_at = ? WHERE alert_id = ?"
                            + " AND sink = ?")) {
                for (String id : alertIds) {
                    p.setLong(1, at.toEpochMilli());
                    p.setString(2, id);
                    p.setString(3, sink);
                    p.addBatch();
                }
                p.executeBatch();
            }
            db.commit();
        } catch (SQLException e) {
            rollback();
            throw new StateException("cannot record delivery of " + alertIds.size() + " alert(s) to " + sink + " in "
                    + file.toAbsolutePath() + ": " + e.getMessage(), e);
        } finally {
            autoCommit();
        }
    }

    @Override
    public void deadLettered(String alertId, String sink, String reason, Instant at) {
        settle(alertId, sink, "dead", reason, at);
    }

    private synchronized void settle(String alertId, String sink, String state, String detail, Instant at) {
        try (PreparedStatement p = db.prepareStatement(
                "UPDATE delivery SET state = ?, detail = ?, updated_at = ? WHERE alert_id = ? AND sink = ?")) {
            p.setString(1, state);
            p.setString(2, detail);
            p.setLong(3, at.toEpochMilli());
            p.setString(4, alertId);
            p.setString(5, sink);
            p.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("cannot record delivery of " + alertId + " to " + sink + " in "
                    + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized int forgetResolvedBefore(Instant cutoff) {
        String expired = "SELECT task_key FROM task WHERE resolved_at IS NOT NULL AND resolved_at < ?";
        try {
            db.setAutoCommit(false);
            int tasks;
            try (PreparedStatement d = db.prepareStatement("DELETE FROM delivery WHERE alert_id IN"
                    + " (SELECT alert_id FROM alert WHERE task_key IN (" + expired + "))");
                    PreparedStatement a = db.prepareStatement("DELETE FROM alert WHERE task_key IN (" + expired + ")");
                    PreparedStatement t = db.prepareStatement(
                            "DELETE FROM task WHERE resolved_at IS NOT NULL AND resolved_at < ?")) {
                for (PreparedStatement p : List.of(d, a, t)) {
                    p.setLong(1, cutoff.toEpochMilli());
                }
                d.executeUpdate();
                a.executeUpdate();
                tasks = t.executeUpdate();
            }
            db.commit();
            return tasks;
        } catch (SQLException e) {
            rollback();
            throw new StateException("cannot prune " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        } finally {
            autoCommit();
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // Closing after a failure; the file is consistent whatever happens here.
        }
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException e) {
                // The lock goes with the channel in any case.
            }
        }
        closeQuietly(lockChannel);
    }

    private static Set<String> labels(String joined) {
        return joined == null || joined.isEmpty() ? Set.of()
                : Arrays.stream(joined.split(",")).collect(Collectors.toUnmodifiableSet());
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException e) {
            // The transaction is abandoned either way.
        }
    }

    private void autoCommit() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException e) {
            // Only possible on a closed connection.
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing more to release.
            }
        }
    }

    private static StateException unreadable(Path file, Exception cause) {
        return new StateException(file.toAbsolutePath() + " is not a readable polardb-ops-alerts state (" + cause.getMessage()
                + "). Nothing was sent. To start afresh on purpose, stop the daemon and move state.dir aside:"
                + " every urgent task then alerts once more.", cause);
    }
}
