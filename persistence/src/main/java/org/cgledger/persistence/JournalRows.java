package org.cgledger.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cgledger.core.decide.Evolver;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.state.State;

/**
 * Plain-JDBC access to a ledger's stored journal rows for the read side (replay, audit, history),
 * without an actor system: payloads are decoded with the same Jackson mapping the journal plugin
 * writes them with ({@link StoredCodec}, {@link JsonSerializer}). Holds the ledger's lock while open, so no writer runs meanwhile.
 *
 * <p>The journal is read where the ledger's writers keep it ({@link DurableLedger.Options}): the H2
 * file of the ledger directory, or a database server ({@code CGLEDGER_JOURNAL_URL}). The read side
 * never writes the journal; {@link #indexConnection()} is given for its own tables (a history
 * index): in the same database for the H2 file, in an H2 file of its own in the ledger directory
 * ({@link #INDEX_FILE}) for a journal on a server. {@link #importInto} is the one writer here: it fills a
 * <em>fresh</em> ledger with rows exactly as given (streams, sequence numbers, ledger-wide numbers),
 * which re-executing commands could not do.
 */
public final class JournalRows implements AutoCloseable {

    /**
     * The payload column as the read side selects it: as bytes. Read as the BLOB it is stored as,
     * H2 registered every value read as a temporary large object, which it wrote into the
     * database file: a whole read of a 1,000,000-event journal grew the file by 9 MB (40 KB so).
     */
    private static final String H2_PAYLOAD = "CAST(\"event_payload\" AS VARBINARY)";

    /**
     * The H2 file in the ledger directory that holds the read side's own tables when the journal
     * is on a database server: the journal's readers only read the server, under the ledger's lock.
     */
    public static final String INDEX_FILE = "history.mv.db";

    /** The serializer id the journal plugin stores this build's payloads with ({@link JsonSerializer}). */
    public static final int JSON_ID = JsonSerializer.ID;


    /** Where one row is stored: its stream's persistence id and sequence number. */
    public record Key(String persistenceId, long sequenceNr) {
    }

    private final Path dir;
    private final LedgerLock lock;
    private final JournalStore store;
    private final Connection connection;
    /** The payload column as selected here: as bytes ({@link #H2_PAYLOAD}; PostgreSQL's {@code bytea} is). */
    private final String payload;
    /** Where the read side's own tables are when they are not in the journal's database; null: they are. */
    private JournalStore indexStore;
    /** The connection to {@link #indexStore}, opened at the first {@link #indexConnection}. */
    private Connection index;

    private ExitHook exitHook;
    private boolean closed;

    private JournalRows(Path dir, LedgerLock lock, JournalStore store, Connection connection) {
        this.dir = dir;
        this.lock = lock;
        this.store = store;
        this.connection = connection;
        boolean h2 = store.target().isH2();
        this.payload = h2 ? H2_PAYLOAD : "\"event_payload\"";
        this.indexStore = h2 ? null : new JournalStore(JournalStore.Target.h2(dir, INDEX_FILE));
    }

    /**
     * Opens the ledger in {@code given} ({@link LedgerDirectory#of}) for reading, taking its lock,
     * with its journal where the configuration keeps it, as a writer's ({@link DurableLedger.Options#defaults}).
     *
     * @throws LedgerException if there is no ledger, H2 cannot name its directory, it is locked past
     *                         {@code lockTimeout}, or unreadable
     */
    public static JournalRows open(Path given, Duration lockTimeout) {
        return open(given, DurableLedger.Options.defaults().withLockTimeout(lockTimeout));
    }

    /**
     * Opens the ledger in {@code given} for reading, taking its lock (waiting up to
     * {@link DurableLedger.Options#lockTimeout}), with its journal where {@code options} keep it, as
     * {@link DurableLedger#open} with them keeps it: the H2 file of the directory, or a database
     * server ({@link DurableLedger.Options#journalUrl}), whose ledger directory holds only the lock
     * (a missing one is made, as a writer makes it: the journal there is the ledger).
     *
     * @throws LedgerException if there is no ledger, H2 cannot name its directory, it is locked past
     *                         the timeout, or unreadable
     */
    public static JournalRows open(Path given, DurableLedger.Options options) {
        Path dir = LedgerDirectory.of(given);
        JournalStore.Target target = options.target(dir);
        if (target.isH2()) {
            // (one this user cannot search, neither there nor missing, is the lock's to say why not: it
            // had been 'no ledger', on another user's ledger of mode 700)
            if (!Files.isDirectory(dir) || Files.notExists(dir.resolve(DurableLedger.H2_FILE))) {
                throw new LedgerException("no ledger at " + dir + " (no journal.mv.db)");
            }
        } else {
            DurableLedger.createDirectory(dir);
        }
        LedgerLock lock = LedgerLock.acquireToRead(dir, options.lockTimeout());
        JournalStore store = new JournalStore(target);
        JournalRows rows;
        try {
            if (target.isH2()) {
                JournalStore.refuseEmpty(dir);
            }
            rows = new JournalRows(dir, lock, store, store.connect());
        } catch (SQLException e) {
            lock.close();
            throw new LedgerException("cannot open the journal in " + dir + ": " + JournalStore.rootMessage(e), e);
        }
        String missing;
        try {
            missing = JournalStore.hasJournal(rows.connection) ? null
                    : target.isH2() ? JournalStore.NO_JOURNAL : "no journal on " + target.shown();
        } catch (SQLException e) {
            missing = JournalStore.rootMessage(e);
        }
        if (missing != null) {
            // (the readers had said H2's 'Table "event_journal" not found')
            rows.close();
            throw new LedgerException("cannot open the journal in " + dir + ": " + missing);
        }
        rows.closeAtExit();
        return rows;
    }

    /**
     * Has the database closed as {@link #close} closes it if the process exits with it open (Ctrl-C
     * during a long {@code history} or {@code audit}): H2 leaves that to the ledger
     * ({@code DB_CLOSE_ON_EXIT=FALSE}), and a file left open is opened more slowly next time.
     * The reading thread may still be reading: what the closed database then refuses it is not
     * written to H2's trace file (an export stopped so had left {@code journal.trace.db} in the
     * ledger directory, its reads' stack traces in it, 'Database is already closed').
     */
    private void closeAtExit() {
        exitHook = ExitHook.register("cgledger-close-rows-at-exit", () -> {
            // the H2 databases this reader has open: the journal's file, or a server journal's history index
            quietTrace(store.target().isH2() ? connection : null);
            quietTrace(store.target().isH2() ? null : index);
            close();
        }, "the journal in " + dir);
    }

    /** Turns H2's trace file off on {@code h2} (none: nothing), for this run of the database only (not stored). */
    private static void quietTrace(Connection h2) {
        if (h2 == null) {
            return;
        }
        try (Statement st = h2.createStatement()) {
            st.execute("SET TRACE_LEVEL_FILE 0");
        } catch (SQLException ignored) {
            // closed already: close() finds it so
        }
    }

    /**
     * The journal of a ledger this process holds open (a server's, say), read through a connection
     * of its own to the database already open: no lock is taken, and closing it leaves the database
     * and the lock to their holder.
     */
    static JournalRows borrowed(Path dir, JournalStore store) {
        try {
            return new JournalRows(dir, null, store, store.connect());
        } catch (SQLException e) {
            throw new LedgerException("cannot read the journal in " + dir + ": " + JournalStore.rootMessage(e), e);
        }
    }

    public Path directory() {
        return dir;
    }

    /**
     * Whether the ledger is one this user may read but not write ({@link LedgerLock#acquireToRead}):
     * held under a shared lock, its H2 file opened read-only. Nothing may be written in its
     * directory: a history index it lacks lives in memory for this reader ({@link #useScratchIndex}).
     */
    public boolean readOnly() {
        return lock != null && lock.shared();
    }

    /**
     * Moves the read side's own tables, for this reader only, to an H2 database in memory that goes
     * with it: for a read-only ledger ({@link #readOnly}) whose history index is missing or not
     * current, since none can be written beside the journal.
     */
    public synchronized void useScratchIndex() {
        if (index != null) {
            try {
                indexStore.shutdown(index);
            } catch (SQLException ignored) {
                // the file index is left as it was; only the scratch one is used from here
            }
            index = null;
        }
        indexStore = new JournalStore("jdbc:h2:mem:;DB_CLOSE_DELAY=0");
    }

    /** The open connection to the journal's database (read only here). */
    public Connection connection() {
        return connection;
    }

    /**
     * The connection for the read side's own tables (the history index): the journal's database
     * for the H2 file; for a journal on a database server, the H2 file {@link #INDEX_FILE} of the
     * ledger directory, opened now the first time (created if missing: an index is built from the
     * journal's rows, and built again when it does not cover them).
     */
    public Connection indexConnection() {
        if (indexStore == null) {
            return connection;
        }
        if (index == null) {
            try {
                index = indexStore.connect();
            } catch (SQLException e) {
                throw new LedgerException("cannot open the history index " + dir.resolve(INDEX_FILE) + ": "
                        + JournalStore.rootMessage(e), e);
            }
        }
        return index;
    }

    /**
     * The number of stored journal rows, which H2 answers from the table's row count without reading
     * a row (with a condition on {@code deleted} it scanned the table: 4.2 s on the 1,000,000-event
     * ledger, on every {@code history}). The ledger never marks a row deleted: a torn tail is deleted.
     */
    public long count() {
        return single("SELECT COUNT(*) FROM PUBLIC.\"event_journal\"");
    }

    /**
     * The highest {@code ordering} stored, -1 for none. Rows are numbered as they are appended and
     * never renumbered, so this and {@link #count} together change with every append and every cut.
     */
    public long lastOrdering() {
        return single("SELECT COALESCE(MAX(\"ordering\"), -1) FROM PUBLIC.\"event_journal\"");
    }

    /**
     * How many ledger-wide event numbers up to the highest stored have no row: 0 for a whole
     * journal. More is the torn tail of a crash inside a group commit (later events durable in one
     * stream, earlier ones lost in another), which opening the ledger cuts ({@code DurableLedger}),
     * or damage. Reads one row of each stream: each stream's own numbers run 1, 2, 3... (appended
     * in order, cut from a number on), so its highest is its row count.
     */
    public long missingEvents() {
        long rows = 0;
        long highest = 0;
        try (PreparedStatement next = connection.prepareStatement(store.nextStream());
             PreparedStatement last = connection.prepareStatement("SELECT \"sequence_number\", " + payload
                     + " FROM PUBLIC.\"event_journal\" WHERE \"persistence_id\" = ? "
                     + "ORDER BY \"persistence_id\" DESC, \"sequence_number\" DESC LIMIT 1")) {
            for (String pid = ""; ; ) {
                next.setString(1, pid);
                try (ResultSet rs = next.executeQuery()) {
                    if (!rs.next()) {
                        break;
                    }
                    pid = rs.getString(1);
                }
                if (Journals.streamOf(pid) == null) {
                    continue;
                }
                last.setString(1, pid);
                try (ResultSet rs = last.executeQuery()) {
                    rs.next();
                    long nr = rs.getLong(1);
                    long seq = EncodedRows.seqAtHead(rs.getBytes(2));
                    rows += nr;
                    highest = Math.max(highest, seq >= 0 ? seq : decode(pid, nr, rs.getBytes(2)).record().seq());
                }
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
        return Math.max(0, highest - rows);
    }

    private long single(String query) {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    /**
     * Every stored row of every cgledger stream, ordered as {@link Journals#readAll} orders them:
     * by ledger-wide number, ties (a damaged journal) by stream and sequence number. Nothing checked.
     */
    public List<Journals.Stored> readAll() {
        try (Statement st = connection.createStatement()) {
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery("SELECT \"persistence_id\", \"sequence_number\", " + payload + " "
                    + "FROM PUBLIC.\"event_journal\" WHERE \"deleted\" = FALSE")) {
                return decodeAll(rs);
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    /**
     * {@link #readAll}'s rows, in its order, kept as stored and decoded as each is asked for
     * ({@link EncodedRows}): for a reader that walks them in order without holding them. A row
     * whose ledger-wide number cannot be read is decoded whole here, and a damaged one throws here,
     * as {@link #readAll} does; one damaged past that number throws when it is asked for.
     */
    public EncodedRows readAllEncoded() {
        try (Statement st = connection.createStatement()) {
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery("SELECT \"persistence_id\", \"sequence_number\", " + payload + " "
                    + "FROM PUBLIC.\"event_journal\" WHERE \"deleted\" = FALSE")) {
                EncodedRows.Builder b = new EncodedRows.Builder();
                while (rs.next()) {
                    String pid = rs.getString(1);
                    if (Journals.streamOf(pid) == null) {
                        continue;
                    }
                    long nr = rs.getLong(2);
                    byte[] bytes = rs.getBytes(3);
                    long seq = EncodedRows.seqAtHead(bytes);
                    b.add(pid, nr, seq >= 0 ? seq : decode(pid, nr, bytes).record().seq(), bytes);
                }
                return b.build();
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    /** The cgledger rows of {@code rs} (persistence id, sequence number, payload), in ledger-wide order. */
    private static List<Journals.Stored> decodeAll(ResultSet rs) throws SQLException {
        List<Journals.Stored> out = new ArrayList<>();
        while (rs.next()) {
            Journals.Stored s = decode(rs.getString(1), rs.getLong(2), rs.getBytes(3));
            if (s != null) {
                out.add(s);
            }
        }
        out.sort(ORDER);
        return out;
    }

    /**
     * The rows appended after the one numbered {@code ordering} (see {@link #lastOrdering}), in
     * ledger-wide order: what a reader that has seen the journal up to there has not seen.
     */
    public List<Journals.Stored> readAfter(long ordering) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT \"persistence_id\", \"sequence_number\", "
                + payload + " FROM PUBLIC.\"event_journal\" WHERE \"ordering\" > ? AND \"deleted\" = FALSE")) {
            ps.setLong(1, ordering);
            try (ResultSet rs = ps.executeQuery()) {
                return decodeAll(rs);
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    /**
     * The rows at {@code keys} (missing ones are left out), in ledger-wide order. A stream's keys
     * that lie close together (at least {@link #SCAN_KEYS} of them, and at least one in
     * {@link #SCAN_SPREAD} of the numbers they span) are read by one scan of that stretch, the rows
     * between them passed over undecoded; others one by one. A busy group's history had read each of
     * its rows by a lookup of its own: 80,000 of them took 2.6 s.
     */
    public List<Journals.Stored> read(List<Key> keys) {
        Map<String, List<Long>> byStream = new java.util.TreeMap<>();
        for (Key k : keys) {
            byStream.computeIfAbsent(k.persistenceId(), x -> new ArrayList<>()).add(k.sequenceNr());
        }
        List<Journals.Stored> out = new ArrayList<>(keys.size());
        try (PreparedStatement one = connection.prepareStatement("SELECT " + payload + " FROM PUBLIC.\"event_journal\" "
                + "WHERE \"persistence_id\" = ? AND \"sequence_number\" = ? AND \"deleted\" = FALSE");
             PreparedStatement stretch = connection.prepareStatement("SELECT \"sequence_number\", " + payload
                     + " FROM PUBLIC.\"event_journal\" WHERE \"persistence_id\" = ? AND \"sequence_number\" "
                     + "BETWEEN ? AND ? AND \"deleted\" = FALSE ORDER BY \"persistence_id\", \"sequence_number\"")) {
            stretch.setFetchSize(10_000);
            for (Map.Entry<String, List<Long>> e : byStream.entrySet()) {
                String pid = e.getKey();
                long[] seqs = e.getValue().stream().mapToLong(Long::longValue).sorted().distinct().toArray();
                long span = seqs[seqs.length - 1] - seqs[0] + 1;
                if (seqs.length >= SCAN_KEYS && span <= (long) seqs.length * SCAN_SPREAD) {
                    stretch.setString(1, pid);
                    stretch.setLong(2, seqs[0]);
                    stretch.setLong(3, seqs[seqs.length - 1]);
                    try (ResultSet rs = stretch.executeQuery()) {
                        while (rs.next()) {
                            long nr = rs.getLong(1);
                            if (java.util.Arrays.binarySearch(seqs, nr) >= 0) {
                                Journals.Stored row = decode(pid, nr, rs.getBytes(2));
                                if (row != null) {
                                    out.add(row);
                                }
                            }
                        }
                    }
                    continue;
                }
                for (long nr : seqs) {
                    one.setString(1, pid);
                    one.setLong(2, nr);
                    try (ResultSet rs = one.executeQuery()) {
                        if (rs.next()) {
                            Journals.Stored row = decode(pid, nr, rs.getBytes(1));
                            if (row != null) {
                                out.add(row);
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
        out.sort(ORDER);
        return out;
    }

    /** The fewest keys of one stream {@link #read(List)} reads by one scan. */
    static final int SCAN_KEYS = 64;

    /** How sparse a stream's keys may lie for {@link #read(List)} to scan their stretch: one in this many numbers. */
    static final int SCAN_SPREAD = 8;

    // ---- time travel from the model snapshots ----------------------------------------------------

    /**
     * A model snapshot the ledger holds: taken after event {@code seq} ({@code 0}: the journal's
     * start, before any), when every event up to it had been recorded at {@code maxTime} or before
     * (null: not known). Where each stream stood then: {@link #streamsAt}.
     */
    public record SnapshotPoint(long seq, Long maxTime) {
        /** Where the journal starts: before event 1, no stream has a row. */
        public static final SnapshotPoint START = new SnapshotPoint(0, Long.MIN_VALUE);
    }

    /** Each snapshot's streams, by event, as {@link #streamsAt} read them. */
    private final Map<Long, Map<String, Long>> streamsBySeq = new HashMap<>();

    /**
     * The model snapshots stored in this build's binary form, by event (ascending); those an earlier
     * build stored in other forms are left out. One query of their numbers and serializers, none of
     * their parts: a long ledger holds a snapshot for every 100,000 events.
     */
    public List<SnapshotPoint> snapshotPoints() {
        List<SnapshotPoint> out = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"sequence_number\", \"ser_id\", \"ser_manifest\", "
                     + (JournalStore.snapshotTimes(connection) ? "\"max_time\"" : "NULL") + " FROM "
                     + "PUBLIC.\"cgledger_model_snapshot\" WHERE \"part\" = 0 ORDER BY \"sequence_number\"")) {
            while (rs.next()) {
                if (JournalStore.binary(rs.getInt(2), rs.getString(3))) {
                    out.add(new SnapshotPoint(rs.getLong(1), rs.getObject(4) == null ? null : rs.getLong(4)));
                }
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
        return out;
    }

    /**
     * Each stream's last sequence number when the snapshot {@code p} was taken (a stream not named had
     * no row yet), from the head of its first part.
     */
    public Map<String, Long> streamsAt(SnapshotPoint p) {
        if (p.seq() == 0) {
            return Map.of();
        }
        Map<String, Long> known = streamsBySeq.get(p.seq());
        if (known != null) {
            return known;
        }
        try {
            JournalStore.Stored head = JournalStore.storedAt(connection, p.seq(), true, false);
            ModelSnapshotCodec.Decoded d = head == null ? null : ModelSnapshotCodec.decodeHead(head.bytes());
            if (d == null || d.seq() != p.seq()) {
                throw new LedgerException("the model snapshot at event #" + p.seq() + " in " + dir
                        + (d == null ? " is gone" : " says it was taken after event #" + d.seq()));
            }
            streamsBySeq.put(p.seq(), Map.copyOf(d.streams()));
            return streamsBySeq.get(p.seq());
        } catch (SQLException e) {
            throw unreadable(e);
        } catch (IOException e) {
            throw new LedgerException("the model snapshot at event #" + p.seq() + " in " + dir
                    + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    /**
     * The model as the snapshot taken after event {@code p.seq()} holds it.
     *
     * @throws LedgerException if it is gone (a writer pruned it meanwhile: none can, under the lock)
     *                         or damaged
     */
    public State snapshotState(SnapshotPoint p) {
        try {
            JournalStore.Stored stored = JournalStore.storedAt(connection, p.seq(), false, false);
            if (stored == null) {
                throw new LedgerException("the model snapshot at event #" + p.seq() + " is gone from " + dir);
            }
            return ModelSnapshotCodec.decodeState(stored.bytes()).state();
        } catch (SQLException e) {
            throw unreadable(e);
        } catch (IOException e) {
            throw new LedgerException("the model snapshot at event #" + p.seq() + " in " + dir
                    + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    /**
     * The rows after {@code from}'s and up to {@code to}'s (null: to the end) in every stream, in
     * ledger-wide order: between two snapshots, the events numbered after the first up to the
     * second. Reads those rows only, by each stream's key.
     */
    public List<Journals.Stored> readBetween(SnapshotPoint from, SnapshotPoint to) {
        Map<String, Long> after = streamsAt(from);
        Map<String, Long> upTo = to == null ? null : streamsAt(to);
        List<Journals.Stored> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT \"sequence_number\", " + payload + " "
                + "FROM PUBLIC.\"event_journal\" WHERE \"persistence_id\" = ? AND \"sequence_number\" > ? "
                + "AND \"sequence_number\" <= ? AND \"deleted\" = FALSE ORDER BY \"sequence_number\"")) {
            ps.setFetchSize(10_000);
            for (String pid : store.streams().keySet()) {
                long first = after.getOrDefault(pid, 0L);
                long last = upTo == null ? Long.MAX_VALUE : upTo.getOrDefault(pid, 0L);
                if (Journals.streamOf(pid) == null || last <= first) {
                    continue;
                }
                ps.setString(1, pid);
                ps.setLong(2, first);
                ps.setLong(3, last);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(decode(pid, rs.getLong(1), rs.getBytes(2)));
                    }
                }
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
        out.sort(ORDER);
        return out;
    }

    /** Ledger-wide order: by number, ties by stream and sequence number. */
    public static final Comparator<Journals.Stored> ORDER = Comparator
            .comparingLong((Journals.Stored s) -> s.record().seq())
            .thenComparing(Journals.Stored::persistenceId).thenComparingLong(Journals.Stored::sequenceNr);

    static Journals.Stored decode(String persistenceId, long nr, byte[] payload) {
        HierarchyId stream = Journals.streamOf(persistenceId);
        if (stream == null) {
            return null;
        }
        JournalEntry e;
        try {
            e = StoredCodec.json().readValue(payload, JournalEntry.class);
        } catch (IOException ex) {
            throw new LedgerException("journal damaged: stream " + persistenceId + ", sequence number " + nr
                    + ": the payload cannot be decoded (" + StoredCodec.undecodable(ex) + ")", ex);
        }
        return new Journals.Stored(persistenceId, nr, new Recorded(e.seq(), e.time(), stream, e.event(), e.counters()));
    }

    // ---- JSON lines -----------------------------------------------------------------------------

    /**
     * One stored row as a JSON line: where it is stored ({@code persistence_id}, {@code sequence_number})
     * and the journal entry as the journal holds it ({@code v}, {@code seq}, {@code time}, {@code event},
     * {@code refcounts}). {@link #fromJson} reads it back exactly.
     */
    public static String toJson(Journals.Stored s) {
        Recorded r = s.record();
        ObjectNode n = StoredCodec.json().createObjectNode();
        n.put("persistence_id", s.persistenceId());
        n.put("sequence_number", s.sequenceNr());
        n.put("v", JournalEntry.VERSION);
        n.put("seq", r.seq());
        n.put("time", r.time());
        n.set("event", StoredCodec.json().valueToTree(r.event()));
        n.put("refcounts", JournalEntry.format(r.refcounts()));
        try {
            return StoredCodec.json().writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + r, e);
        }
    }

    /**
     * Reads a line written by {@link #toJson}. The journal entry in it is read as recovery reads a
     * stored one (the same mapping, {@link JournalEntry#read}), so what import takes, a ledger opens.
     *
     * @throws IllegalArgumentException naming what is wrong, if the line is not one: not JSON, a
     *         field missing ({@code time} and {@code refcounts} included: an entry without them
     *         reads as dated 1970 and recording no refcount, and no ledger writes one), an event
     *         type or schema version ({@code "v"}) this build does not read
     */
    /** Jackson's words for a value of the wrong type, in the user's: what it found, and what belongs there. */
    static String plain(String message) {
        String m = message;
        int hint = m.indexOf(" (but ");
        m = hint < 0 ? m : m.substring(0, hint);
        hint = m.indexOf(" (set DeserializationConfig");
        m = hint < 0 ? m : m.substring(0, hint);
        m = m.replaceAll("Cannot coerce String value \\((.*)\\) to `(long|int|double|float)` value",
                "the string $1 where a number belongs");
        m = m.replaceAll("Cannot coerce Floating-point value \\((.*)\\) to `(long|int)` value",
                "$1 where a whole number belongs");
        m = m.replaceAll("Cannot coerce (\\w+)[- ]?\\w* value \\((.*)\\) to `boolean` value", "$2 where true or false belongs");
        m = m.replaceAll("Cannot coerce (Integer|Floating-point) value \\((.*)\\) to `java.lang.String` value",
                "the number $2 where text belongs");
        m = m.replaceAll("Cannot map `null` into type `(long|int)`", "null where a whole number belongs");
        m = m.replaceAll("Cannot map `null` into type `boolean`", "null where true or false belongs");
        m = m.replaceAll("Cannot construct instance of `\\w+` \\(although at least one Creator exists\\): no "
                + "String-argument constructor/factory method to deserialize from String value \\((.*)\\)",
                "the string $1 where a number belongs");
        m = m.replaceAll("Duplicate field '(.*)'", "the key \"$1\" twice");
        m = m.replaceAll("Cannot deserialize value of type `(long|int)` from Boolean value \\(token `JsonToken.VALUE_(TRUE|FALSE)`\\)",
                "true or false where a number belongs");
        return m;
    }

    /**
     * The journal's JSON as {@link #fromJson} reads a line someone may have written by hand: one
     * object and nothing after it, no key twice, and every value of its own type (the journal's
     * mapper took "4" or 4.0 for 4, 1.5 for 1, null for 0, and the last of two keys).
     */
    private static final com.fasterxml.jackson.databind.ObjectMapper STRICT = strict();

    private static com.fasterxml.jackson.databind.ObjectMapper strict() {
        com.fasterxml.jackson.databind.ObjectMapper m = StoredCodec.json().copy();
        m.enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.disable(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        m.getFactory().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // a number where text belongs, text where a number or a flag does, a fraction where a whole
        // number does: refused, not converted
        com.fasterxml.jackson.databind.cfg.CoercionAction fail = com.fasterxml.jackson.databind.cfg.CoercionAction.Fail;
        com.fasterxml.jackson.databind.cfg.CoercionInputShape string = com.fasterxml.jackson.databind.cfg.CoercionInputShape.String;
        com.fasterxml.jackson.databind.cfg.CoercionInputShape integer = com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer;
        com.fasterxml.jackson.databind.cfg.CoercionInputShape fraction = com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float;
        m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Integer).setCoercion(string, fail)
                .setCoercion(fraction, fail);
        m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Float).setCoercion(string, fail);
        m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Boolean).setCoercion(string, fail)
                .setCoercion(integer, fail).setCoercion(fraction, fail);
        m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Textual).setCoercion(integer, fail)
                .setCoercion(fraction, fail);
        return m;
    }

    public static Journals.Stored fromJson(String line) {
        JsonNode n;
        try {
            n = STRICT.readTree(line);
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException
                    && e.getMessage() != null && e.getMessage().startsWith("Trailing token")) {
                // Jackson's words named its own classes and settings
                throw new IllegalArgumentException("not JSON: more after the object (a line holds one JSON object)", e);
            }
            throw new IllegalArgumentException("not JSON: " + plain(JournalStore.rootMessage(e)), e);
        }
        String pid = n.path("persistence_id").asText(null);
        if (pid == null || Journals.streamOf(pid) == null || !n.has("sequence_number") || !n.has("seq")
                || !n.has("event")) {
            throw new IllegalArgumentException("not a journal line (persistence_id, sequence_number, seq, event)");
        }
        if (!n.get("sequence_number").isIntegralNumber() || !n.get("sequence_number").canConvertToLong()) {
            // read strictly, as "seq" is ("1", 1.5 or true had been read as 1, 1 and 0)
            throw new IllegalArgumentException("\"sequence_number\" is not a whole number: " + n.get("sequence_number"));
        }
        if (!n.path("time").isIntegralNumber()) {
            throw new IllegalArgumentException("no \"time\" (epoch milliseconds)");
        }
        if (!n.path("refcounts").isTextual()) {
            throw new IllegalArgumentException("no \"refcounts\" (the counters the event changed, \"A1=3 N3=1\"; \"\" for none)");
        }
        JournalEntry e;
        Map<String, Integer> counters;
        try {
            // the row's own fields beside the entry's are ignored, as unknown properties are
            e = STRICT.treeToValue(n, JournalEntry.class);
            counters = e.counters();
        } catch (IOException | IllegalArgumentException x) {
            throw new IllegalArgumentException(plain(StoredCodec.undecodable(x)), x);
        }
        // an import holds every row it read until it has written them: the stream's name and the
        // counters' names, the same few thousand strings over and over, are kept once each
        Map<String, Integer> named = new HashMap<>();
        counters.forEach((k, v) -> named.put(k.intern(), v));
        return new Journals.Stored(pid.intern(), n.get("sequence_number").asLong(),
                new Recorded(e.seq(), e.time(), Journals.streamOf(pid), e.event(), named));
    }

    /**
     * Where {@link #importInto} builds the journal, in the ledger directory, before it moves the
     * file into place: what a killed or failed import leaves is no ledger, and the next import
     * (or this one, failing) removes it.
     */
    public static final String IMPORT_STAGING = ".import";

    /**
     * Writes {@code rows} into a fresh ledger in {@code given} ({@link LedgerDirectory#of}; created
     * if missing), exactly as given: persistence ids, sequence numbers, ledger-wide numbers, times
     * and recorded refcounts; its journal where the configuration keeps a writer's
     * ({@link DurableLedger.Options#defaults}): the H2 file of the directory, or a database server.
     * All or nothing: the H2 journal is written in {@link #IMPORT_STAGING} and moved into place whole
     * (an import killed after its first thousand rows had left a ledger of them that looked complete);
     * on a server, in one transaction. {@code rows} are taken one at a time as they are written (an
     * import of a file reads its lines so: it holds no more than the row it writes); one that fails
     * as it is taken (a line refused as it is read) fails the import with that failure, as it was
     * thrown, leaving what a refusal before writing leaves: no ledger, and no directory or lock file
     * that the import made.
     *
     * @throws LedgerException if the directory already holds a journal (looked for once the lock is
     *         taken: a lock file alone is no ledger), or the server one holding events, H2 cannot
     *         name it, or it cannot be written
     */
    public static void importInto(Path given, Iterable<Journals.Stored> rows, Duration lockTimeout) {
        DurableLedger.Options options = DurableLedger.Options.defaults();
        if (options.journalUrl() != null) {
            importOntoServer(LedgerDirectory.of(given), options.target(null), rows, lockTimeout, options.snapshotEvery());
            return;
        }
        importInto(given, rows, lockTimeout, options.snapshotEvery());
    }

    /**
     * {@link #importInto(Path, Iterable, Duration)} for a journal on the server {@code target}: the
     * directory keeps the lock, and the rows and their model snapshots are written in one
     * transaction, the journal's table locked meanwhile (the directory's lock is not another's).
     */
    private static void importOntoServer(Path dir, JournalStore.Target target, Iterable<Journals.Stored> rows,
                                         Duration lockTimeout, long band) {
        Path made = firstMissing(dir);
        DurableLedger.createDirectory(dir);
        boolean lockThere = Files.exists(dir.resolve(LedgerLock.FILE));
        try (LedgerLock lock = LedgerLock.acquire(dir, lockTimeout)) {
            // an H2 journal there that records nothing (a first write killed before its first event)
            // is no ledger, and is removed below as an import into the file removes it; one that
            // records events is a ledger
            boolean h2 = Files.exists(dir.resolve(DurableLedger.H2_FILE));
            if (h2 && !recordsNothing(dir)) {
                throw new LedgerException("a ledger already exists at " + dir + " (its journal in "
                        + DurableLedger.H2_FILE + "): import needs a fresh directory and an empty journal");
            }
            JournalStore store = new JournalStore(target);
            store.createSchema();
            try (Connection c = store.connect()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("LOCK TABLE public.event_journal IN EXCLUSIVE MODE");
                    try (ResultSet rs = st.executeQuery("SELECT 1 FROM public.event_journal LIMIT 1")) {
                        if (rs.next()) {
                            throw new LedgerException("a ledger already exists at " + dir + " (its journal on "
                                    + target.shown() + "): import needs a fresh directory and an empty journal");
                        }
                    }
                }
                try {
                    write(c, rows, band, false);
                } catch (SourceFailed e) {
                    // (the transaction is rolled back as the connection closes)
                    unmakeLock(dir, lockThere);
                    throw e;
                }
                // a history index left by an earlier journal (dropped since) knows it only by its row
                // count and last row's number, which the imported one may have too: it would be taken
                // as current. Removed once the import is sure to run (a refused one leaves it: the
                // rows are checked as they are written), with its trace file
                Files.deleteIfExists(dir.resolve(INDEX_FILE));
                Files.deleteIfExists(dir.resolve(INDEX_FILE.replace(".mv.db", ".trace.db")));
                if (h2) {
                    Files.delete(dir.resolve(DurableLedger.H2_FILE));
                }
                c.commit();
            }
        } catch (SourceFailed e) {
            unmake(made);
            throw e.failure();
        } catch (SQLException e) {
            throw new LedgerException("cannot import into " + dir + ": " + JournalStore.rootMessage(e), e);
        } catch (IOException e) {
            throw new LedgerException("cannot import into " + dir + ": " + IoReasons.of(e), e);
        }
    }

    /**
     * {@link #importInto(Path, Iterable, Duration)}, with a model snapshot after every {@code band}
     * events and after the last, as a writer keeps them (time travel starts from them).
     */
    public static void importInto(Path given, Iterable<Journals.Stored> rows, Duration lockTimeout, long band) {
        if (band < 1) {
            throw new IllegalArgumentException("band " + band);
        }
        Path dir = LedgerDirectory.of(given);
        Path made = firstMissing(dir);
        DurableLedger.createDirectory(dir);
        boolean lockThere = Files.exists(dir.resolve(LedgerLock.FILE));
        try (LedgerLock lock = LedgerLock.acquire(dir, lockTimeout)) {
            // what a first write killed before it recorded its first event left: no ledger, replaced
            // once the new journal is written (a refused import leaves it)
            boolean leftover = Files.exists(dir.resolve(DurableLedger.H2_FILE));
            if (leftover && !recordsNothing(dir)) {
                throw new LedgerException("a ledger already exists at " + dir + ": import needs a fresh directory");
            }
            Path staging = dir.resolve(IMPORT_STAGING);
            // an import ended midway (Ctrl-C, SIGTERM) removes its staging too: it had left the
            // journal it was writing there, and H2's trace file, until the next import
            ExitHook cleanup = ExitHook.register("cgledger-import-cleanup", () -> removeStaging(staging),
                    "an import into " + dir);
            try {
                removeTree(staging);
                Files.createDirectory(staging);
                try {
                    write(staging, rows, band);
                } catch (SourceFailed e) {
                    unmakeLock(dir, lockThere);
                    throw e;
                }
                if (leftover) {
                    Files.delete(dir.resolve(DurableLedger.H2_FILE));
                }
                Files.move(staging.resolve(DurableLedger.H2_FILE), dir.resolve(DurableLedger.H2_FILE),
                        StandardCopyOption.ATOMIC_MOVE);
                // the move on the disk too before the import is answered (the file was, as H2 closed it)
                LedgerDirectory.sync(dir);
            } finally {
                cleanup.remove();
                removeTree(staging);
            }
        } catch (SourceFailed e) {
            unmake(made);
            throw e.failure();
        } catch (SQLException e) {
            throw new LedgerException("cannot import into " + dir + ": " + JournalStore.rootMessage(e), e);
        } catch (IOException e) {
            throw new LedgerException("cannot import into " + dir + ": " + IoReasons.of(e), e);
        }
    }

    /** A failure of an import's rows as one was taken ({@link #importInto}), carried out of the writing to be thrown as it was. */
    private static final class SourceFailed extends RuntimeException {
        SourceFailed(RuntimeException cause) {
            super(cause);
        }

        RuntimeException failure() {
            return (RuntimeException) getCause();
        }
    }

    /** The highest directory of {@code dir} and its parents that does not exist (what creating it makes), or null. */
    private static Path firstMissing(Path dir) {
        Path top = null;
        for (Path p = dir.toAbsolutePath(); p != null && Files.notExists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            top = p;
        }
        return top;
    }

    /** Removes the lock file in {@code dir} unless it {@code wasThere} (done while it is held): what an import refused as it read made. */
    private static void unmakeLock(Path dir, boolean wasThere) {
        if (!wasThere) {
            try {
                Files.deleteIfExists(dir.resolve(LedgerLock.FILE));
            } catch (IOException e) {
                // left: a lock file alone is no ledger
            }
        }
    }

    /** Removes the directory an import refused as it read made ({@link #firstMissing}), if it holds nothing now. */
    private static void unmake(Path made) {
        if (made == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(made)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    return;
                }
            }
        } catch (IOException e) {
            return;
        }
        try {
            removeTree(made);
        } catch (IOException e) {
            // left: an empty directory is no ledger
        }
    }

    /** What went wrong in {@code e}, a failure of the journal's database, in words ({@link JournalStore#rootMessage}). */
    public static String reason(Throwable e) {
        return JournalStore.rootMessage(e);
    }

    /**
     * Whether the H2 journal in {@code dir} (there, and not open) records no event: a first write
     * killed before it recorded its first one leaves such a file, which is no ledger (the views say
     * so, and an import may replace it), as does one without the journal's table. A file of no
     * bytes is not taken for one (it is no H2 file: the views say so, and it is left as it is).
     */
    private static boolean recordsNothing(Path dir) throws SQLException {
        if (LedgerDirectory.emptyJournalFile(dir)) {
            return false;
        }
        JournalStore store = new JournalStore(JournalStore.Target.h2(dir));
        try (Connection c = store.connect(); Statement st = c.createStatement()) {
            try {
                if (!JournalStore.hasJournal(c)) {
                    return true;
                }
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM PUBLIC.\"event_journal\" LIMIT 1")) {
                    return !rs.next();
                }
            } finally {
                // closed before the file may be replaced
                st.execute("SHUTDOWN");
            }
        }
    }

    /**
     * {@link #recordsNothing}, under the ledger's lock (waiting up to {@code lockTimeout}): whether
     * {@code dir} holds no ledger an import would replace, though it holds a journal file.
     */
    public static boolean recordsNothing(Path given, Duration lockTimeout) {
        Path dir = LedgerDirectory.of(given);
        // (in a directory this user cannot search the file is neither there nor missing: the lock
        // says why not, Permission denied)
        if (Files.notExists(dir.resolve(DurableLedger.H2_FILE))) {
            return true;
        }
        try (LedgerLock lock = LedgerLock.acquireToRead(dir, lockTimeout)) {
            return recordsNothing(dir);
        } catch (SQLException e) {
            throw new LedgerException("cannot read the journal in " + dir + ": " + JournalStore.rootMessage(e), e);
        }
    }

    /**
     * Writes {@code rows} into a new H2 journal in {@code dir}, committing every thousand, and folds
     * them as it goes: a model snapshot after every event numbered a multiple of {@code band}, and
     * after the last (so that the first open does not fold them all). From a row that opening would
     * not fold as it is ({@link #folded}; the command line refuses such a file before, a caller of
     * this may not) the rows are written all the same, with no snapshot after it: opening then
     * meets that row and says what is wrong with it.
     */
    private static void write(Path dir, Iterable<Journals.Stored> rows, long band) throws SQLException, IOException {
        JournalStore store = new JournalStore(JournalStore.Target.h2(dir));
        store.createSchema();
        try (Connection c = store.connect()) {
            write(c, rows, band, true);
        } finally {
            store.shutdown();
        }
    }

    /**
     * {@link #write(Path, Iterable, long)} through {@code c}, into the schema there; {@code commits}:
     * committing every thousand rows and at the end, else all in the transaction {@code c} has
     * open, left to its caller to commit.
     */
    private static void write(Connection c, Iterable<Journals.Stored> rows, long band, boolean commits)
            throws SQLException, IOException {
        State state = State.EMPTY;
        boolean folding = true;
        Map<String, Long> streams = new LinkedHashMap<>();
        long maxTime = Long.MIN_VALUE;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO PUBLIC."
                + "\"event_journal\" (\"persistence_id\", \"sequence_number\", \"writer\", \"write_timestamp\", "
                + "\"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\") "
                + "VALUES (?, ?, 'cgledger-import', ?, '', ?, ?, ?)")) {
            c.setAutoCommit(false);
            int n = 0;
            java.util.Iterator<Journals.Stored> taken = rows.iterator();
            while (true) {
                Journals.Stored s;
                try {
                    if (!taken.hasNext()) {
                        break;
                    }
                    s = taken.next();
                } catch (RuntimeException e) {
                    throw new SourceFailed(e);
                }
                Recorded r = s.record();
                ps.setString(1, s.persistenceId());
                ps.setLong(2, s.sequenceNr());
                ps.setLong(3, r.time());
                ps.setBytes(4, StoredCodec.json().writeValueAsBytes(new JournalEntry(JournalEntry.VERSION, r.seq(), r.time(),
                        r.event(), JournalEntry.format(r.refcounts()))));
                ps.setInt(5, JSON_ID);
                ps.setString(6, JournalEntry.class.getName());
                ps.addBatch();
                if (++n % 1_000 == 0) {
                    ps.executeBatch();
                    if (commits) {
                        c.commit();
                    }
                }
                if (folding) {
                    state = folded(state, s, streams.getOrDefault(s.persistenceId(), 0L));
                    folding = state != null;
                }
                if (folding) {
                    streams.put(s.persistenceId(), s.sequenceNr());
                    maxTime = Math.max(maxTime, r.time());
                    if (state.lastEvent() % band == 0) {
                        snapshot(c, state, streams, maxTime, band);
                    }
                }
            }
            ps.executeBatch();
            if (folding && state.initialized() && state.lastEvent() % band != 0) {
                snapshot(c, state, streams, maxTime, band);
            }
            if (commits) {
                c.commit();
            }
        }
    }

    /**
     * The state after {@code row}, or null if opening the ledger would not fold it there as it is:
     * not the next event, not its stream's next row, not applicable, or recording a refcount the fold
     * does not give (recovery's checks: a snapshot after such a row would hide it from them).
     */
    private static State folded(State state, Journals.Stored row, long streamNr) {
        Recorded r = row.record();
        if (r.seq() != state.lastEvent() + 1 || row.sequenceNr() != streamNr + 1) {
            return null;
        }
        State next;
        try {
            next = Evolver.evolve(state, r.event());
        } catch (IllegalStateException e) {
            return null;
        }
        for (Map.Entry<String, Integer> rc : r.refcounts().entrySet()) {
            if (DurableLedger.counter(next, rc.getKey()) != rc.getValue()) {
                return null;
            }
        }
        return next;
    }

    private static void snapshot(Connection c, State state, Map<String, Long> streams, long maxTime, long band)
            throws SQLException {
        JournalStore.saveSnapshot(c, new JournalStore.Stored(state.lastEvent(), ModelSnapshotSerializer.ID,
                ModelSnapshot.class.getName(), ModelSnapshotCodec.encode(StateCodec.encode(state, streams)), maxTime),
                maxTime, band, JournalStore.SNAPSHOT_PART);
    }

    /**
     * Removes an import's staging at exit, while the import may still write there (H2 may add a
     * trace file as its writes fail): tried again while files appear in it; nothing to say if it
     * cannot (the next import clears it).
     */
    static void removeStaging(Path staging) {
        for (int i = 0; i < 5; i++) {
            try {
                removeTree(staging);
                return;
            } catch (IOException e) {
                // a file came or went meanwhile: again
            }
        }
    }

    /** Removes {@code root} and what it holds, if it exists (a link itself, not what it points to). */
    static void removeTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private LedgerException unreadable(SQLException e) {
        return new LedgerException("cannot read the journal in " + dir + ": " + JournalStore.rootMessage(e), e);
    }

    /**
     * Closes the database file (and the history index's own, for a journal on a server) and releases
     * the ledger's lock (a borrowed journal: its connections only).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (exitHook != null) {
            exitHook.remove();
        }
        try {
            if (index != null) {
                indexStore.shutdown(index);
            }
        } catch (SQLException ignored) {
            // closed already; the journal's connection and the lock are let go below either way
        }
        try {
            if (lock != null) {
                store.shutdown(connection);
            } else {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closed already; the lock is released below either way
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }
}
