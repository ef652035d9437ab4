package org.cgledger.persistence;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.h2.api.ErrorCode;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/**
 * Plain JDBC on the plugin's tables, for what the actors do not do: create the schema before
 * Pekko starts, read every stream back at open (a plain scan decodes about three times faster
 * than Pekko's replay), cut a torn tail, keep model snapshots, and close the database file.
 * Payloads are written through Pekko's serialization (a snapshot) or by the actors, and read back
 * with {@link StoredCodec}, which decodes the same bytes without an actor system.
 */
final class JournalStore {

    static final String MODEL_SNAPSHOT_ID = "cgledger-model";

    /** Where the journal lives: the settings Slick and this class share. */
    record Target(String url, String user, String password) {

        boolean isH2() {
            return url.startsWith("jdbc:h2:");
        }

        /** The URL as messages show it: {@link DurableLedger#shownUrl}. */
        String shown() {
            return DurableLedger.shownUrl(url);
        }

        String slickProfile() {
            return isH2() ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$";
        }

        String driver() {
            return isH2() ? "org.h2.Driver" : "org.postgresql.Driver";
        }

        String schema() {
            return isH2() ? "/cgledger-h2-schema.sql" : "/cgledger-postgres-schema.sql";
        }

        /** The H2 file in a ledger directory. */
        static Target h2(Path dir) {
            return new Target(JournalStore.url(dir), "sa", "");
        }

        /** Another H2 file in a ledger directory, {@code file} ({@code NAME.mv.db}), with the journal's settings. */
        static Target h2(Path dir, String file) {
            return new Target("jdbc:h2:file:" + LedgerDirectory.usable(dir.toAbsolutePath())
                    .resolve(file.substring(0, file.length() - ".mv.db".length())) + H2_SETTINGS, "sa", "");
        }
    }

    private final Target target;

    JournalStore(Target target) {
        if (!target.isH2() && !target.url().startsWith("jdbc:postgresql:")) {
            throw new LedgerException("unsupported journal URL " + target.shown() + " (H2 or PostgreSQL)");
        }
        this.target = target;
    }

    JournalStore(String h2Url) {
        this(new Target(h2Url, "sa", ""));
    }

    Target target() {
        return target;
    }

    /**
     * The H2 URL of a ledger directory.
     * <ul>
     * <li>{@code WRITE_DELAY=0}: a commit is in the file before it returns (with H2's default
     * 500 ms, kill -9 lost acknowledged events here).</li>
     * <li>{@code RETENTION_TIME} at its maximum (24 days), set once by {@link #keepOpen} (in the
     * URL, every new connection set it again, which cost a one-shot command 0.3 s): space freed
     * while the database is open is not reused while it stays open. With {@code WRITE_DELAY=0}
     * alone, 38 of 80 kill -9s of one writer committing small batches lost acknowledged commits;
     * with these settings, 0 of 120 ({@code H2KillProbe} in the tests). The file grows faster for
     * it.</li>
     * <li>{@code MAX_COMPACT_TIME=0}: closing does not compact the file (on the 1,000,000-event
     * ledger that took 0.8-1.1 s of every one-shot command).</li>
     * <li>{@code DB_CLOSE_ON_EXIT=FALSE}: the ledger closes its database, at exit too
     * ({@link DurableLedger}'s exit hook). H2's own hook closed it as the JVM began to exit, under the
     * ledger's close: a server stopped by SIGTERM failed its compaction check and its
     * {@code SHUTDOWN}, and H2 wrote their stack traces to {@code journal.trace.db}.</li>
     * </ul>
     */
    static final String H2_SETTINGS = ";WRITE_DELAY=0;MAX_COMPACT_TIME=0;DB_CLOSE_ON_EXIT=FALSE";

    /** Run once on an open H2 database: see {@link #url}. */
    static final String H2_RETENTION = "SET RETENTION_TIME 2147483647";

    /**
     * The URL of the H2 file in {@code dir}, as {@link LedgerDirectory#resolve} gives it.
     *
     * @throws LedgerException for a directory H2 would read otherwise ({@link LedgerDirectory#unusable}):
     *                         the ledger's entry points refuse one before they create anything
     */
    static String url(Path dir) {
        return "jdbc:h2:file:" + LedgerDirectory.usable(dir.toAbsolutePath()).resolve("journal") + H2_SETTINGS;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(target.url(), target.user(), target.password());
    }

    private Connection keeper;

    /**
     * Keeps one connection open until {@link #shutdown}: an embedded H2 database closes with its
     * last connection, and opening the file again costs far more than a query (measured: the
     * one-shot command paid it five times over).
     */
    void keepOpen() throws SQLException {
        if (keeper == null) {
            keeper = connect();
            if (target.isH2()) {
                try (Statement st = keeper.createStatement()) {
                    st.execute(H2_RETENTION);
                }
            }
        }
    }

    /** The keeper's {@code CHECKPOINT SYNC}, prepared once. */
    private PreparedStatement syncStatement;
    /** How many times {@link #sync} flushed the file (tests: the ledger flushes before it answers). */
    private long syncs;

    /**
     * Flushes the H2 file to the disk (fsync), through the connection {@link #keepOpen} keeps:
     * H2 hands each commit to the operating system ({@code WRITE_DELAY=0}) but flushes the file
     * only as it closes, so a commit survives the death of the process, not a crash of the
     * machine. {@code CHECKPOINT SYNC} stores what H2 has not written yet (nothing, after a commit)
     * and forces the file ({@code FileChannel.force}). Nothing for a database server, which flushes
     * each commit itself (PostgreSQL: its {@code fsync} and {@code synchronous_commit} settings).
     */
    void sync() throws SQLException {
        if (!target.isH2() || keeper == null) {
            return;
        }
        if (syncStatement == null) {
            syncStatement = keeper.prepareStatement("CHECKPOINT SYNC");
        }
        syncStatement.execute();
        syncs++;
    }

    /** How many times {@link #sync} flushed the file. */
    long syncs() {
        return syncs;
    }

    /**
     * How many chunks the H2 file lists now (H2's {@code info.CHUNK_COUNT}), through the connection
     * {@link #keepOpen} keeps; -1 for a server, a database not kept open, or one that cannot say.
     */
    long chunkCount() {
        if (keeper == null || !target.isH2()) {
            return -1;
        }
        try (Statement st = keeper.createStatement();
             ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME = 'info.CHUNK_COUNT'")) {
            return rs.next() ? Long.parseLong(rs.getString(1).strip()) : -1;
        } catch (SQLException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * What a ledger says of an H2 file without its journal table, {@code why} in parentheses: one cut
     * short so far that H2 went back to a version before the table, an empty file, or no ledger's
     * file. Every opener says the same (the readers had said H2's 'Table "event_journal" not found').
     */
    static String noJournal(String why) {
        return "the journal file is damaged: journal.mv.db holds no journal (" + why + ")";
    }

    /** {@link #noJournal} of a file H2 opens. */
    static final String NO_JOURNAL = noJournal("cut short, or not a ledger's");

    /**
     * Refuses a journal file of 0 bytes before H2 opens it: H2 would make an empty database of it
     * (a refused write had left a 24 KB file and a trace file in place of the empty one).
     *
     * @throws SQLException saying the file holds no journal
     */
    static void refuseEmpty(Path dir) throws SQLException {
        if (LedgerDirectory.emptyJournalFile(dir)) {
            throw new SQLException(noJournal("it is empty"));
        }
    }

    /** Whether the journal's table exists (any ledger's database has it from its first open on): a query of it that reads no row. */
    boolean hasJournal() throws SQLException {
        try (Connection c = connect()) {
            return hasJournal(c);
        }
    }

    /** {@link #hasJournal()} through {@code c}, a connection of this store's database already open. */
    static boolean hasJournal(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeQuery("SELECT 1 FROM PUBLIC.\"event_journal\" WHERE FALSE").close();
            return true;
        } catch (SQLException e) {
            // (PostgreSQL: SQLSTATE 42P01, undefined_table)
            if (e.getErrorCode() == ErrorCode.TABLE_OR_VIEW_NOT_FOUND_1
                    || e.getErrorCode() == ErrorCode.TABLE_OR_VIEW_NOT_FOUND_DATABASE_EMPTY_1
                    || "42P01".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** Whether the snapshot table has the {@code max_time} column, as {@link #createSchema} left it. */
    private boolean snapshotTimes;

    /** Creates the tables if they are missing (re-runnable). */
    void createSchema() throws SQLException {
        String ddl;
        try (InputStream in = JournalStore.class.getResourceAsStream(target.schema())) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("schema resource missing", e);
        }
        StringBuilder noComments = new StringBuilder();
        for (String line : ddl.split("\n")) {
            if (!line.strip().startsWith("--")) {
                noComments.append(line).append('\n');
            }
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String sql : noComments.toString().split(";")) {
                if (!sql.isBlank()) {
                    st.execute(sql);
                }
            }
            snapshotTimes = snapshotTimes(c);
            // a table an earlier build created lacks the column; a file that cannot be written (a
            // view of a read-only journal) keeps it so, and its snapshots do without (H2 refuses
            // even a column that is there, IF NOT EXISTS, on a read-only database)
            if (!snapshotTimes && !c.isReadOnly()) {
                st.execute("ALTER TABLE " + (target.isH2() ? "PUBLIC.\"cgledger_model_snapshot\" ADD COLUMN \"max_time\""
                        : "public.cgledger_model_snapshot ADD COLUMN max_time") + " BIGINT");
                snapshotTimes = true;
            }
        }
    }

    /**
     * The query for the first stream after the one given (the empty string: the first of all), one
     * index seek per stream. H2 seeks "> id" to the id's first row and walks the whole stream;
     * ">= id || CHAR(0)", the least string after it, seeks past it (PostgreSQL refuses NUL, and needs
     * no help).
     */
    String nextStream() {
        return "SELECT \"persistence_id\" FROM PUBLIC.\"event_journal\" WHERE \"persistence_id\" "
                + (target.isH2() ? ">= ? || CHAR(0)" : "> ?") + " ORDER BY \"persistence_id\", \"sequence_number\" LIMIT 1";
    }

    /**
     * Each stream's persistence id and highest sequence number. One index seek per stream (a
     * {@code GROUP BY} read the whole key: 1.6 s on a 1,000,000-event ledger).
     */
    Map<String, Long> streams() throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = connect();
             PreparedStatement next = c.prepareStatement(nextStream());
             PreparedStatement last = c.prepareStatement("SELECT \"sequence_number\" FROM PUBLIC.\"event_journal\" "
                     + "WHERE \"persistence_id\" = ? ORDER BY \"persistence_id\" DESC, \"sequence_number\" DESC "
                     + "LIMIT 1")) {
            String pid = "";
            while (true) {
                next.setString(1, pid);
                try (ResultSet rs = next.executeQuery()) {
                    if (!rs.next()) {
                        return out;
                    }
                    pid = rs.getString(1);
                }
                last.setString(1, pid);
                try (ResultSet rs = last.executeQuery()) {
                    rs.next();
                    out.put(pid, rs.getLong(1));
                }
            }
        }
    }

    /** One stored row, decoded. */
    record Row(String persistenceId, long sequenceNr, JournalEntry entry) {
    }

    /**
     * At most {@code limit} rows of one stream after {@code fromExclusive}, in order. A payload
     * that cannot be decoded fails naming the stream and the row.
     */
    List<Row> read(Connection c, String persistenceId, long fromExclusive, int limit) throws SQLException {
        List<Row> out = new ArrayList<>(Math.min(limit, 4096));
        try (PreparedStatement ps = c.prepareStatement("SELECT \"sequence_number\", \"event_ser_id\", "
                + "\"event_ser_manifest\", \"event_payload\" FROM PUBLIC.\"event_journal\" WHERE "
                + "\"persistence_id\" = ? AND \"sequence_number\" > ? AND \"deleted\" = FALSE "
                // both key columns: H2 then reads the primary key in order instead of sorting the stream
                + "ORDER BY \"persistence_id\", \"sequence_number\" LIMIT ?")) {
            ps.setString(1, persistenceId);
            ps.setLong(2, fromExclusive);
            ps.setInt(3, limit);
            ps.setFetchSize(Math.min(limit, 10_000));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long nr = rs.getLong(1);
                    JournalEntry entry;
                    try {
                        entry = StoredCodec.decode(rs.getBytes(4), rs.getInt(2), rs.getString(3), JournalEntry.class);
                    } catch (IOException | RuntimeException e) {
                        throw new LedgerException("journal damaged: stream " + persistenceId + ", sequence number "
                                + nr + ": the payload cannot be decoded (" + StoredCodec.undecodable(e) + ")", e);
                    }
                    out.add(new Row(persistenceId, nr, entry));
                }
            }
        }
        return out;
    }

    /** Deletes the rows of a stream from {@code fromInclusive} on: the torn tail of a crash. */
    int cut(Connection c, String persistenceId, long fromInclusive) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM PUBLIC.\"event_journal\" WHERE "
                + "\"persistence_id\" = ? AND \"sequence_number\" >= ?")) {
            ps.setString(1, persistenceId);
            ps.setLong(2, fromInclusive);
            return ps.executeUpdate();
        }
    }

    /** Records in the ledger what recovery discarded. */
    void logRecovery(Connection c, long time, long lastKept, int discarded, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO PUBLIC.\"cgledger_recovery\" "
                + "(\"recovered_at\", \"last_kept_seq\", \"discarded\", \"detail\") VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, time);
            ps.setLong(2, lastKept);
            ps.setInt(3, discarded);
            ps.setString(4, detail);
            ps.executeUpdate();
        }
    }

    /** The recoveries logged so far: "when: kept up to #N, discarded K (detail)". */
    List<String> recoveries() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"recovered_at\", \"last_kept_seq\", \"discarded\", \"detail\" "
                     + "FROM PUBLIC.\"cgledger_recovery\" ORDER BY \"id\"")) {
            while (rs.next()) {
                out.add(java.time.Instant.ofEpochMilli(rs.getLong(1)) + ": kept events up to #" + rs.getLong(2)
                        + ", discarded " + rs.getInt(3) + " (" + rs.getString(4) + ")");
            }
        }
        return out;
    }

    /** The most bytes of a model snapshot one row of {@code cgledger_model_snapshot} holds. */
    static final int SNAPSHOT_PART = 512 * 1024;

    /**
     * A model snapshot as stored: its event, serializer and payload, and the latest time any event up
     * to it was recorded at (null: not known, a snapshot an earlier build stored, or one whose writer
     * opened from such a snapshot).
     */
    record Stored(long seq, int serializer, String manifest, byte[] bytes, Long maxTime) {
    }

    /** Whether {@code s} is in this build's binary form ({@link ModelSnapshotCodec}). */
    static boolean binary(Stored s) {
        return binary(s.serializer(), s.manifest());
    }

    /** Whether a snapshot stored with {@code serializer} and {@code manifest} is in this build's binary form. */
    static boolean binary(int serializer, String manifest) {
        return serializer == ModelSnapshotSerializer.ID && manifest.equals(ModelSnapshot.class.getName());
    }

    /**
     * The latest model snapshot, for opening the ledger: its place in the journal read at once,
     * the model decoded when {@link Latest#state} is called, straight from the stored bytes for
     * this build's binary form ({@link ModelSnapshotCodec#decodeState}).
     */
    static final class Latest {
        private final Stored stored;
        private final ModelSnapshot snapshot;
        private final ModelSnapshotCodec.Decoded head;

        private Latest(Stored stored) {
            this.stored = stored;
            if (binary(stored)) {
                this.snapshot = null;
                try {
                    this.head = ModelSnapshotCodec.decodeHead(stored.bytes());
                } catch (IOException | RuntimeException e) {
                    throw undecodable(stored.seq(), e);
                }
            } else {
                this.snapshot = decodeSnapshot(stored.seq(), stored.bytes(), stored.serializer(), stored.manifest());
                this.head = null;
            }
        }

        long seq() {
            return head != null ? head.seq() : snapshot.seq();
        }

        Map<String, Long> streams() {
            return head != null ? head.streams() : snapshot.streams();
        }

        /** The latest time an event up to the snapshot was recorded at; null if not known. */
        Long maxTime() {
            return stored.maxTime();
        }

        /** The model the snapshot holds, decoded now. */
        org.cgledger.core.state.State state() {
            if (snapshot != null) {
                try {
                    return StateCodec.decode(snapshot);
                } catch (RuntimeException e) {
                    throw undecodable(stored.seq(), e);
                }
            }
            try {
                return ModelSnapshotCodec.decodeState(stored.bytes()).state();
            } catch (IOException | RuntimeException e) {
                // (bytes damaged in the file decode into anything: a negative capacity, no such enum constant)
                throw undecodable(stored.seq(), e);
            }
        }
    }

    /** The latest model snapshot for opening the ledger, or null if none: see {@link Latest}. */
    Latest latestForOpen() throws SQLException {
        // the ledger has just made sure of the schema (createSchema)
        try (Connection c = connect()) {
            Stored s = latestStored(c, snapshotTimes);
            return s == null ? null : new Latest(s);
        }
    }

    /** The latest model snapshot, decoded, or null: see {@link #latestStored}. */
    ModelSnapshot latestSnapshot() throws SQLException {
        Stored s = latestStored();
        return s == null ? null : decodeSnapshot(s.seq(), s.bytes(), s.serializer(), s.manifest());
    }

    /**
     * The latest model snapshot, or null: from {@code cgledger_model_snapshot}, where this build
     * stores it in parts, else from the plugin's {@code snapshot} table, where earlier builds stored
     * it as one BLOB (reading the 9 MB BLOB back took H2 twice as long as the parts, in a new JVM).
     */
    Stored latestStored() throws SQLException {
        try (Connection c = connect()) {
            return latestStored(c, snapshotTimes(c));
        }
    }

    /** {@link #latestStored()}; {@code withTimes}: the table has the {@code max_time} column. */
    private Stored latestStored(Connection c, boolean withTimes) throws SQLException {
        Stored s = storedAt(c, null, false, withTimes);
        return s != null ? s : pluginStored();
    }

    /**
     * The model snapshot taken after event {@code seq} (null: the latest) from
     * {@code cgledger_model_snapshot}, or null if there is none; with {@code headOnly}, only its
     * first part (enough for {@link ModelSnapshotCodec#decodeHead}); {@code withTimes}: the table has
     * the {@code max_time} column ({@link #snapshotTimes}).
     */
    static Stored storedAt(Connection c, Long seq, boolean headOnly, boolean withTimes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT \"sequence_number\", \"part\", \"parts\", \"size\", "
                + "\"ser_id\", \"ser_manifest\", \"data\", " + (withTimes ? "\"max_time\"" : "NULL")
                + " FROM PUBLIC.\"cgledger_model_snapshot\" WHERE \"sequence_number\" = "
                + (seq == null ? "(SELECT MAX(\"sequence_number\") FROM PUBLIC.\"cgledger_model_snapshot\")" : "?")
                + (headOnly ? " AND \"part\" = 0" : "") + " ORDER BY \"part\"")) {
            if (seq != null) {
                ps.setLong(1, seq);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? parts(rs, headOnly) : null;
            }
        }
    }

    /** The snapshot whose first part {@code rs} stands on, its parts put together (or only the first). */
    private static Stored parts(ResultSet rs, boolean headOnly) throws SQLException {
        long seq = rs.getLong(1);
        int parts = rs.getInt(3);
        int serializer = rs.getInt(5);
        String manifest = rs.getString(6);
        Long maxTime = rs.getObject(8) == null ? null : rs.getLong(8);
        if (headOnly) {
            return new Stored(seq, serializer, manifest, rs.getBytes(7), maxTime);
        }
        byte[] bytes = new byte[rs.getInt(4)];
        int at = 0;
        int part = 0;
        do {
            byte[] data = rs.getBytes(7);
            if (rs.getInt(2) != part || at + data.length > bytes.length) {
                throw new SnapshotUndecodable("snapshot at event #" + seq + " cannot be decoded (part " + part
                        + " of " + parts + " missing or too long)", null);
            }
            System.arraycopy(data, 0, bytes, at, data.length);
            at += data.length;
            part++;
        } while (rs.next());
        if (part != parts || at != bytes.length) {
            throw new SnapshotUndecodable("snapshot at event #" + seq + " cannot be decoded (" + part + " of "
                    + parts + " parts, " + at + " of " + bytes.length + " bytes)", null);
        }
        return new Stored(seq, serializer, manifest, bytes, maxTime);
    }

    /**
     * Whether {@code cgledger_model_snapshot} has the {@code max_time} column, which a writer of this
     * build adds as it opens: a reader asks first (a failed statement would leave an H2 trace file).
     */
    static boolean snapshotTimes(Connection c) throws SQLException {
        // the columns of an empty result (INFORMATION_SCHEMA.COLUMNS cost a one-shot command 30-100 ms)
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM PUBLIC.\"cgledger_model_snapshot\" WHERE 1 = 0")) {
            java.sql.ResultSetMetaData m = rs.getMetaData();
            for (int i = 1; i <= m.getColumnCount(); i++) {
                if (m.getColumnName(i).equalsIgnoreCase("max_time")) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The latest model snapshot an earlier build stored in the plugin's {@code snapshot} table, or null. */
    private Stored pluginStored() throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("SELECT \"sequence_number\", \"snapshot_ser_id\", "
                     + "\"snapshot_ser_manifest\", \"snapshot_payload\" FROM PUBLIC.\"snapshot\" WHERE "
                     + "\"persistence_id\" = ? ORDER BY \"sequence_number\" DESC LIMIT 1")) {
            ps.setString(1, MODEL_SNAPSHOT_ID);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                byte[] payload;
                try {
                    payload = target.isH2() ? payload(rs, 4) : rs.getBytes(4);
                } catch (IOException e) {
                    throw new LedgerException("snapshot at event #" + rs.getLong(1) + " cannot be decoded ("
                            + rootMessage(e) + ")", e);
                }
                return new Stored(rs.getLong(1), rs.getInt(2), rs.getString(3), payload, null);
            }
        }
    }

    private static ModelSnapshot decodeSnapshot(long seq, byte[] bytes, int serializer, String manifest) {
        try {
            return StoredCodec.decode(bytes, serializer, manifest, ModelSnapshot.class);
        } catch (IOException | RuntimeException e) {
            throw undecodable(seq, e);
        }
    }

    private static SnapshotUndecodable undecodable(long seq, Exception e) {
        return new SnapshotUndecodable("snapshot at event #" + seq + " cannot be decoded (" + rootMessage(e) + ")", e);
    }

    /** A stored model snapshot that does not decode: damaged, while the journal may be whole. */
    static final class SnapshotUndecodable extends LedgerException {
        private static final long serialVersionUID = 1L;

        SnapshotUndecodable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A large H2 payload in one array of its exact size: H2's {@code getBytes} grows a buffer as it
     * reads. For the 9 MB snapshot of a 100,000-task model, measured in a new JVM: 64 MB allocated
     * and 0.19-0.25 s that way, 41 MB and 0.11-0.13 s this way.
     */
    private static byte[] payload(ResultSet rs, int column) throws SQLException, IOException {
        Blob blob = rs.getBlob(column);
        try (InputStream in = blob.getBinaryStream()) {
            long length = blob.length();
            if (length > Integer.MAX_VALUE - 8) {
                throw new IOException("a payload of " + length + " bytes");
            }
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length != length || in.read() >= 0) {
                throw new IOException("a payload of " + length + " bytes read as " + bytes.length);
            }
            return bytes;
        } finally {
            blob.free();
        }
    }

    /**
     * Stores a model snapshot, in parts ({@link #SNAPSHOT_PART}), and keeps the two latest and, for
     * good, the first of every {@code band} events (time travel then folds at most about that many
     * events from the nearest one: {@code StoredTravel}); one an earlier build stored in the plugin's
     * table goes, in the same transaction.
     */
    void saveSnapshot(ModelSnapshot snapshot, long time, Long maxTime, Serialization serialization, long band)
            throws SQLException {
        saveSnapshot(snapshot, time, maxTime, serialization, band, SNAPSHOT_PART);
    }

    /** As {@link #saveSnapshot(ModelSnapshot, long, Long, Serialization, long)}, in parts of {@code partSize} bytes. */
    void saveSnapshot(ModelSnapshot snapshot, long time, Long maxTime, Serialization serialization, long band,
                      int partSize)
            throws SQLException {
        Serializer ser = serialization.findSerializerFor(snapshot);
        saveSnapshot(new Stored(snapshot.seq(), ser.identifier(), org.apache.pekko.serialization.Serializers.manifestFor(
                ser, snapshot), ser.toBinary(snapshot), maxTime), time, band, partSize);
    }

    /**
     * Stores {@code stored} (a snapshot serialized already: one being imported, without an actor
     * system) as {@link #saveSnapshot(ModelSnapshot, long, Long, Serialization, long)} does.
     */
    void saveSnapshot(Stored stored, long time, long band, int partSize) throws SQLException {
        if (band < 1) {
            throw new IllegalArgumentException("band " + band);
        }
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            saveSnapshot(c, stored, time, band, partSize);
            c.commit();
        }
    }

    /**
     * {@link #saveSnapshot(Stored, long, long, int)} through {@code c}, in the transaction it has
     * open (an import onto a server: the rows and their snapshots all or nothing), not committed.
     */
    static void saveSnapshot(Connection c, Stored stored, long time, long band, int partSize) throws SQLException {
        byte[] bytes = stored.bytes();
        Long maxTime = stored.maxTime();
        int parts = Math.max(1, (bytes.length + partSize - 1) / partSize);
        try (PreparedStatement del = c.prepareStatement("DELETE FROM PUBLIC.\"cgledger_model_snapshot\" WHERE "
                + "\"sequence_number\" = ?");
             PreparedStatement ps = c.prepareStatement("INSERT INTO PUBLIC.\"cgledger_model_snapshot\" "
                     + "(\"sequence_number\", \"part\", \"parts\", \"size\", \"created\", \"ser_id\", "
                     + "\"ser_manifest\", \"data\", \"max_time\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement prune = c.prepareStatement("DELETE FROM PUBLIC.\"cgledger_model_snapshot\" WHERE "
                     + "\"sequence_number\" < (SELECT MIN(\"sequence_number\") FROM (SELECT DISTINCT "
                     + "\"sequence_number\" FROM PUBLIC.\"cgledger_model_snapshot\" ORDER BY \"sequence_number\" "
                     + "DESC LIMIT 2) AS latest) AND \"sequence_number\" NOT IN (SELECT MIN(\"sequence_number\") "
                     + "FROM PUBLIC.\"cgledger_model_snapshot\" GROUP BY \"sequence_number\" / " + band + ")");
             PreparedStatement earlier = c.prepareStatement("DELETE FROM PUBLIC.\"snapshot\" WHERE "
                     + "\"persistence_id\" = ?")) {
            del.setLong(1, stored.seq());
            del.executeUpdate();
            for (int part = 0; part < parts; part++) {
                int from = part * partSize;
                ps.setLong(1, stored.seq());
                ps.setInt(2, part);
                ps.setInt(3, parts);
                ps.setInt(4, bytes.length);
                ps.setLong(5, time);
                ps.setInt(6, stored.serializer());
                ps.setString(7, stored.manifest());
                ps.setBytes(8, java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + partSize)));
                if (maxTime == null) {
                    ps.setNull(9, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(9, maxTime);
                }
                ps.executeUpdate();
            }
            prune.executeUpdate();
            earlier.setString(1, MODEL_SNAPSHOT_ID);
            earlier.executeUpdate();
        }
    }

    /**
     * Closes the H2 database file; nothing for a server. Through the connection {@link #keepOpen}
     * keeps: {@code SHUTDOWN} ends every session, the journal plugin's too. (Closing that connection
     * first closed the database with it, and a new one opened the file again only to shut it down:
     * 20 ms of a one-shot command, and a chunk more in the file.)
     */
    void shutdown() throws SQLException {
        Connection k = keeper;
        keeper = null;
        syncStatement = null;
        if (k != null) {
            shutdown(k);
            return;
        }
        if (target.isH2()) {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            }
        }
    }

    /** Closes the H2 database file through {@code c}, an open connection to it, then {@code c}; for a server, {@code c} only. */
    void shutdown(Connection c) throws SQLException {
        try (c) {
            if (target.isH2()) {
                try (Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN");
                }
            }
        }
    }

    /**
     * What went wrong, in words, for a one-line message: the message of the deepest cause that has
     * one, its first line, without H2's version and error code ({@code [2.5.252/6]},
     * {@code [90030-252]}) and without the exception's class, which tells a user nothing. A journal
     * file H2 finds corrupt, or shorter than its own header or chunks say, is said to be damaged.
     * Only a failure without any message is named by its class: that is all it says.
     */
    static String rootMessage(Throwable e) {
        String message = null;
        Throwable root = e;
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_WRITING_FAILED) {
                // "Writing to sun.nio.ch.FileChannelImpl@26e43797 failed; length 49152 at 4186112":
                // the reason is its cause's (a full disk, a file size limit)
                for (Throwable c = m.getCause(); c != null; c = next(c)) {
                    if (c instanceof IOException io) {
                        return "the journal file could not be written: " + IoReasons.of(io);
                    }
                }
                return "the journal file could not be written";
            }
            if (t instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_FILE_CORRUPT) {
                // "Store header is corrupt: DIR/journal.mv.db": the file is named already
                // ("Unable to read the page at position 0x538000f8b056, chunk chunk:14e,block:10b3,...":
                // H2's internals after the position, several hundred characters of them, cut)
                return "the journal file is damaged: " + plain(m.getMessage()).replaceFirst(":\\s*\\S+\\.mv\\.db$", "")
                        .replaceFirst(",\\s*chunk[ :].*$", "");
            }
            if (t instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_READING_FAILED
                    && m.getCause() instanceof EOFException) {
                // H2's message names a FileChannelImpl object and offsets
                return "the journal file is damaged: it ends before its own header or data does (cut short, or not a journal file)";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
            root = t;
        }
        return message == null ? root.getClass().getSimpleName() : plain(message);
    }

    /** Whether {@code e} comes of H2's store failing to write its file (a full disk): the store is then closed for good. */
    static boolean writingFailed(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_WRITING_FAILED) {
                return true;
            }
        }
        return false;
    }

    /**
     * The cause of {@code t}, or null; for a JDBC batch that failed, which has none, the failure of
     * its statement ({@link SQLException#getNextException}): H2's reason lies there (a journal
     * write on a full disk had said only H2's "General error" with a Java object's name).
     */
    private static Throwable next(Throwable t) {
        Throwable c = t.getCause();
        if (c == null && t instanceof SQLException sql) {
            c = sql.getNextException();
        }
        return c == t ? null : c;
    }

    /** The first line of {@code message}, without H2's statement announcement and version suffix. */
    private static String plain(String message) {
        String line = message.strip().lines().findFirst().orElse("");
        return line.replaceFirst("\\s*\\[\\d[\\d.]*[-/][\\d.]+\\]$", "").replaceFirst(";\\s*SQL statement:$", "");
    }
}
