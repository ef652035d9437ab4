package org.cgledger.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.CgroupRemoved;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.LimitSet;
import org.cgledger.core.event.MoveChargeSet;
import org.cgledger.core.event.NotifyOnReleaseSet;
import org.cgledger.core.event.ReleaseNotified;
import org.cgledger.core.event.RmdirRefused;
import org.cgledger.core.event.TaskAttached;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.state.Catalog;
import org.cgledger.core.state.State;
import org.cgledger.persistence.Follower;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.LedgerException;
import org.cgledger.persistence.Transactions;

/**
 * The history index: for every cgroup ever created, its path at creation and counters, every path
 * it lived at (a hierarchy mounted elsewhere too, or again after it was detached, names its live
 * cgroups under the new mount point as well: {@link Names#reached}), and for every event that
 * touched it (ledger number, where the row is stored, the group's counters after it). Kept in
 * tables of its own in the ledger's database ({@code cgledger_replay_*}; the journal tables are
 * never written), or, for a journal on a database server, in an H2 file of its own in the ledger
 * directory ({@link JournalRows#indexConnection}). A query reads only the group's own rows, by primary key: its cost depends on the
 * group's events, not on the journal's length (and no tag query of the read journal is involved,
 * whose ordering gaps stalled ~10 s here).
 *
 * <p>It is current when its meta row names the journal's row count and last row's number. A
 * writer keeps it current ({@link #follower}): from the model it opened with, it folds only the
 * events it appended. A journal changed by anything else (an import, a writer of an older build, a
 * crash before the writer closed) has it built again by one fold of the whole journal.
 */
public final class HistoryIndex {

    private HistoryIndex() {
    }

    /**
     * The tables' layout and what their rows mean: a meta row of another version is an index to
     * build again. 2: the groups' counters; 3: the paths table; 4: the same tables, with the
     * touches {@link GroupTouches} gives since the groups a css_set's tuple names are touched too
     * (an index of layout 3 lacks those rows); 5: and a removed group without css is touched by the
     * event that lets it go (an index of layout 4 lacks that row).
     */
    private static final int VERSION = 5;

    private static final String DDL = """
            CREATE TABLE IF NOT EXISTS PUBLIC."cgledger_replay_meta" ("rows" BIGINT NOT NULL);
            ALTER TABLE PUBLIC."cgledger_replay_meta" ADD COLUMN IF NOT EXISTS "last" BIGINT DEFAULT -2 NOT NULL;
            ALTER TABLE PUBLIC."cgledger_replay_meta" ADD COLUMN IF NOT EXISTS "seq" BIGINT DEFAULT -2 NOT NULL;
            ALTER TABLE PUBLIC."cgledger_replay_meta" ADD COLUMN IF NOT EXISTS "version" INT DEFAULT 1 NOT NULL;
            CREATE TABLE IF NOT EXISTS PUBLIC."cgledger_replay_groups" ("cgroup_id" BIGINT PRIMARY KEY,
                "path" VARCHAR NOT NULL, "created" BIGINT NOT NULL);
            ALTER TABLE PUBLIC."cgledger_replay_groups" ADD COLUMN IF NOT EXISTS "css" VARCHAR DEFAULT '' NOT NULL;
            ALTER TABLE PUBLIC."cgledger_replay_groups" ADD COLUMN IF NOT EXISTS "own_set" VARCHAR;
            CREATE TABLE IF NOT EXISTS PUBLIC."cgledger_replay_paths" ("path" VARCHAR NOT NULL,
                "cgroup_id" BIGINT NOT NULL, PRIMARY KEY ("path", "cgroup_id"));
            CREATE TABLE IF NOT EXISTS PUBLIC."cgledger_replay_touches" ("cgroup_id" BIGINT NOT NULL,
                "seq" BIGINT NOT NULL, "persistence_id" VARCHAR(255) NOT NULL, "sequence_number" BIGINT NOT NULL,
                "refcounts" VARCHAR NOT NULL, PRIMARY KEY ("cgroup_id", "seq", "persistence_id", "sequence_number"))
            """;

    /** Rows inserted between commits of a build. */
    private static final int CHUNK = 5_000;

    /** What the index covers: the journal's row count and last row's number, the last event's ledger number. */
    private record Meta(long rows, long last, long seq) {
    }

    /** One group, as the groups table stores it. */
    private record Group(long id, String path, long created, String css, String ownSet) {
    }

    /** One touch, as the touches table stores it. */
    private record Touch(long seq, String persistenceId, long sequenceNr, String refcounts) {
    }

    private static void ddl(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : DDL.split(";")) {
                st.execute(sql);
            }
        }
    }

    /**
     * The meta row of an index of this layout, if there is one. The tables are created (or brought
     * to this layout) only when the meta table lacks this layout's last column: every writer's close
     * asks. Asked of INFORMATION_SCHEMA, not by reading the table and catching the failure: H2 writes
     * every failed statement, with its stack trace, to a trace file beside the journal
     * ({@code journal.trace.db}), and every new ledger got one at its first write.
     */
    private static Optional<Meta> meta(Connection c) throws SQLException {
        if (!laidOut(c)) {
            ddl(c);
            // a table made now is empty: whatever the meta row says, the index is built again
            // (one table dropped had left the others answering that no group ever lived there)
            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM PUBLIC.\"cgledger_replay_meta\"");
            }
            return Optional.empty();
        }
        return readMeta(c);
    }

    /**
     * Whether the tables exist in this layout: the meta table's {@code "version"} column (it came
     * with the groups' counters), and the groups, paths (layout 3) and touches tables.
     */
    private static boolean laidOut(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = "
                     + "'PUBLIC' AND TABLE_NAME = 'cgledger_replay_meta' AND COLUMN_NAME = 'version'), "
                     + "(SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' "
                     + "AND TABLE_NAME IN ('cgledger_replay_groups', 'cgledger_replay_paths', "
                     + "'cgledger_replay_touches'))")) {
            return rs.next() && rs.getLong(1) > 0 && rs.getLong(2) == 3;
        }
    }

    private static Optional<Meta> readMeta(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"rows\", \"last\", \"seq\", \"version\" FROM "
                     + "PUBLIC.\"cgledger_replay_meta\"")) {
            return rs.next() && rs.getInt(4) == VERSION
                    ? Optional.of(new Meta(rs.getLong(1), rs.getLong(2), rs.getLong(3))) : Optional.empty();
        }
    }

    /**
     * The index's failure {@code e} in words: H2's own message had been cut at its first line ("The
     * database is read only; SQL statement:"), and "unreadable" said of a write (bringing the index
     * up to date on a file that cannot be written).
     */
    private static LedgerException failed(SQLException e) {
        return new LedgerException("the history index cannot be read or brought up to date: " + JournalRows.reason(e), e);
    }

    /**
     * Whether the index is there in this layout and covers every stored row, asked without
     * creating or changing anything (a read-only ledger's): false if it cannot even be opened.
     */
    private static boolean readsCurrent(JournalRows journal) {
        try {
            Connection c = journal.indexConnection();
            return covers(laidOut(c) ? readMeta(c) : Optional.empty(), journal);
        } catch (SQLException | LedgerException e) {
            return false;
        }
    }

    /** Whether an index whose meta row is {@code m} covers every row {@code journal} stores. */
    private static boolean covers(Optional<Meta> m, JournalRows journal) {
        return m.isPresent() && m.get().rows() == journal.count() && m.get().last() == journal.lastOrdering();
    }

    /** Whether the index covers every stored row. */
    public static boolean isCurrent(JournalRows journal) {
        try {
            return covers(meta(journal.indexConnection()), journal);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * Builds the index from scratch over {@code rows} (the whole journal as stored); returns rows
     * indexed. The touches are gathered first and written in key order: written as the fold meets
     * them, each commit rewrote pages all over the table, and with the ledger's retention (freed
     * pages are not reused while the file is open) one build of a 1,000,000-event journal left the
     * file gigabytes larger.
     */
    public static long build(JournalRows journal, List<Journals.Stored> rows) {
        Connection c = journal.indexConnection();
        Gathered gathered = new Gathered();
        History.fold(rows, gathered);
        try {
            ddl(c);
            try (Statement st = c.createStatement()) {
                // emptied and filled in commits of their own: an index without its meta row is not
                // current, so one cut short is built again next time (one transaction of every
                // delete and insert, millions of them on a 1,000,000-event journal, took H2 minutes)
                st.execute("DELETE FROM PUBLIC.\"cgledger_replay_meta\"");
                st.execute("TRUNCATE TABLE PUBLIC.\"cgledger_replay_groups\"");
                st.execute("TRUNCATE TABLE PUBLIC.\"cgledger_replay_paths\"");
                st.execute("TRUNCATE TABLE PUBLIC.\"cgledger_replay_touches\"");
            }
            c.setAutoCommit(false);
            try {
                write(c, gathered, true);
                long last = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).record().seq();
                writeMeta(c, new Meta(rows.size(), journal.lastOrdering(), last));
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
            return rows.size();
        } catch (SQLException e) {
            throw new LedgerException("cannot build the history index: " + JournalRows.reason(e), e);
        }
    }

    /**
     * What a fold gives the index: the groups it saw created, the paths they reached, the touches
     * of each group, in ledger order.
     */
    private static final class Gathered implements History.Sink {
        final Map<CgroupId, List<Touch>> touches = new HashMap<>();
        final List<Group> groups = new ArrayList<>();
        final Set<Names.Lived> paths = new HashSet<>();

        @Override
        public void touched(CgroupId cgroup, int row, Journals.Stored stored, String refcounts) {
            touches.computeIfAbsent(cgroup, k -> new ArrayList<>()).add(new Touch(stored.record().seq(),
                    stored.persistenceId(), stored.sequenceNr(), refcounts));
        }

        @Override
        public void created(CgroupId cgroup, String path, long seq, History.Counters counters) {
            groups.add(new Group(cgroup.value(), path, seq, counters.cssText(),
                    counters.ownSet() == null ? null : counters.ownSet().toString()));
        }

        @Override
        public void reached(CgroupId cgroup, String path) {
            paths.add(new Names.Lived(cgroup, path));
        }
    }

    /**
     * Inserts what {@code g} gathered, in key order; {@code chunked}: a commit every {@link #CHUNK}
     * rows. A path the index has for the group already (a hierarchy mounted again where it was
     * before) is merged, not inserted twice.
     */
    private static void write(Connection c, Gathered gathered, boolean chunked) throws SQLException {
        try (PreparedStatement g = c.prepareStatement("INSERT INTO PUBLIC.\"cgledger_replay_groups\" "
                + "(\"cgroup_id\", \"path\", \"created\", \"css\", \"own_set\") VALUES (?, ?, ?, ?, ?)");
             PreparedStatement p = c.prepareStatement("MERGE INTO PUBLIC.\"cgledger_replay_paths\" "
                     + "(\"path\", \"cgroup_id\") KEY (\"path\", \"cgroup_id\") VALUES (?, ?)");
             PreparedStatement t = c.prepareStatement("INSERT INTO PUBLIC.\"cgledger_replay_touches\" "
                     + "VALUES (?, ?, ?, ?, ?)")) {
            int pending = 0;
            List<Group> groups = new ArrayList<>(gathered.groups);
            groups.sort(Comparator.comparingLong(Group::id));
            for (Group x : groups) {
                g.setLong(1, x.id());
                g.setString(2, x.path());
                g.setLong(3, x.created());
                g.setString(4, x.css());
                g.setString(5, x.ownSet());
                g.addBatch();
                if (chunked && ++pending % CHUNK == 0) {
                    g.executeBatch();
                    c.commit();
                }
            }
            g.executeBatch();
            List<Names.Lived> paths = new ArrayList<>(gathered.paths);
            paths.sort(Comparator.comparing(Names.Lived::path).thenComparingLong(l -> l.cgroup().value()));
            for (Names.Lived x : paths) {
                p.setString(1, x.path());
                p.setLong(2, x.cgroup().value());
                p.addBatch();
                if (chunked && ++pending % CHUNK == 0) {
                    p.executeBatch();
                    c.commit();
                }
            }
            p.executeBatch();
            List<CgroupId> ids = new ArrayList<>(gathered.touches.keySet());
            ids.sort(Comparator.comparingLong(CgroupId::value));
            for (CgroupId id : ids) {
                for (Touch x : gathered.touches.get(id)) {
                    t.setLong(1, id.value());
                    t.setLong(2, x.seq());
                    t.setString(3, x.persistenceId());
                    t.setLong(4, x.sequenceNr());
                    t.setString(5, x.refcounts());
                    t.addBatch();
                    if (chunked && ++pending % CHUNK == 0) {
                        t.executeBatch();
                        c.commit();
                    }
                }
            }
            t.executeBatch();
        }
    }

    private static void writeMeta(Connection c, Meta m) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM PUBLIC.\"cgledger_replay_meta\"");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO PUBLIC.\"cgledger_replay_meta\" "
                + "(\"rows\", \"last\", \"seq\", \"version\") VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, m.rows());
            ps.setLong(2, m.last());
            ps.setLong(3, m.seq());
            ps.setInt(4, VERSION);
            ps.executeUpdate();
        }
    }

    /**
     * Brings the index up to the journal's end if the journal grew since it was last current:
     * indexing only the events after it ({@link #caughtUp}) when it can, else built again from
     * scratch. Returns whether it changed.
     */
    public static boolean ensure(JournalRows journal) {
        if (journal.readOnly() && !readsCurrent(journal)) {
            // nothing can be written beside a read-only journal: built for this reader, in memory
            journal.useScratchIndex();
        }
        if (isCurrent(journal)) {
            return false;
        }
        if (!caughtUp(journal)) {
            build(journal, journal.readAll());
        }
        return true;
    }

    /**
     * Indexes only the events appended since the index was last current, folded from the model at
     * its last event (from the nearest model snapshot, {@link StoredTravel}): what no follower
     * indexed as it was written (a journal on a database server, whose writers keep no index; a
     * writer of an older build). On the 1,000,000-event ledger a build from scratch takes about
     * 15 s, where a few events appended since cost a snapshot's decoding. False, nothing written,
     * unless the index covers the journal exactly up to an event and the rows after it are the
     * events after that one ({@link #catchUp}).
     */
    static boolean caughtUp(JournalRows journal) {
        Optional<Meta> m;
        try {
            Connection c = journal.indexConnection();
            m = laidOut(c) ? readMeta(c) : Optional.empty();
        } catch (SQLException e) {
            throw failed(e);
        }
        if (m.isEmpty() || m.get().seq() <= 0) {
            return false;
        }
        StoredTravel travel = new StoredTravel(journal);
        long last = travel.lastEvent();
        if (last <= m.get().seq()) {
            return false;
        }
        // the catalog is the one init chose, the same at every event since
        State from = travel.stateAt(m.get().seq());
        return catchUp(journal, from, last, from.catalog());
    }

    /**
     * A follower that keeps the index current as a writer appends, starting from {@code opened},
     * the model the writer opened with ({@link org.cgledger.persistence.DurableLedger#addFollower}).
     */
    public static Follower follower(State opened) {
        return new Follower() {
            /** The model the index was (or might have been) current at when last asked. */
            private State base = opened;

            @Override
            public void follow(JournalRows journal, State now) {
                State from = base;
                base = now;
                if (now.lastEvent() != from.lastEvent()) {
                    catchUp(journal, from, now.lastEvent(), now.catalog());
                }
            }
        };
    }

    /**
     * Indexes the events after {@code from} (the model the index was current at) up to event {@code to}
     * ({@code catalog}: the ledger's, for the counters the index holds),
     * in one transaction (a tail of more than {@link #CHUNK} events: in commits of their own, the
     * index not current meanwhile), by folding only them from {@code from}. Does nothing, and returns false,
     * unless the index covered exactly the journal up to {@code from} and the rows appended since
     * are exactly the events from there to {@code to}: the reader then builds it again.
     */
    static boolean catchUp(JournalRows journal, State from, long to, Catalog catalog) {
        Connection c = journal.indexConnection();
        try {
            Optional<Meta> found = meta(c);
            // a ledger that was empty when the writer opened it is followed from its first event
            boolean fresh = found.isEmpty() && from.lastEvent() == 0;
            Meta m = fresh ? new Meta(0, -1, 0) : found.orElse(null);
            if (m == null || m.seq() != from.lastEvent()) {
                return false;
            }
            if (fresh) {
                // the tables may be missing or of an older layout (the meta row of another version)
                ddl(c);
            }
            List<Journals.Stored> tail = journal.readAfter(m.last());
            long expect = from.lastEvent();
            for (Journals.Stored r : tail) {
                if (r.record().seq() != ++expect) {
                    return false;
                }
            }
            if (expect != to || m.rows() + tail.size() != journal.count()) {
                return false;
            }
            Gathered gathered = new Gathered();
            try (PreparedStatement known = c.prepareStatement("SELECT \"css\", \"own_set\" FROM "
                    + "PUBLIC.\"cgledger_replay_groups\" WHERE \"cgroup_id\" = ?")) {
                History.fold(from, tail, id -> counters(known, id, catalog), gathered);
            }
            // a long tail (a bulk load) is written in commits of its own, as a build is, with the meta
            // row gone meanwhile: cut short, the index is not current, and is built again
            boolean chunked = tail.size() > CHUNK;
            if (chunked) {
                try (Statement st = c.createStatement()) {
                    st.execute("DELETE FROM PUBLIC.\"cgledger_replay_meta\"");
                }
            }
            Transactions.run(c, () -> {
                if (fresh) {
                    // what a build cut short may have left
                    try (Statement st = c.createStatement()) {
                        st.execute("DELETE FROM PUBLIC.\"cgledger_replay_groups\"");
                        st.execute("DELETE FROM PUBLIC.\"cgledger_replay_paths\"");
                        st.execute("DELETE FROM PUBLIC.\"cgledger_replay_touches\"");
                    }
                }
                write(c, gathered, chunked);
                writeMeta(c, new Meta(journal.count(), journal.lastOrdering(), to));
            });
            return true;
        } catch (SQLException e) {
            throw new LedgerException("cannot bring the history index up to date: " + JournalRows.reason(e), e);
        }
    }

    /** The counters of a group the index already has, null if it has none. */
    private static History.Counters counters(PreparedStatement known, CgroupId id, Catalog catalog) {
        try {
            known.setLong(1, id.value());
            try (ResultSet rs = known.executeQuery()) {
                return rs.next() ? History.Counters.parse(rs.getString(1), rs.getString(2), catalog) : null;
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The cgroups that ever lived at {@code path} ({@link Names#reached}), by id, in the order they were created. */
    public static List<CgroupId> incarnations(JournalRows journal, String path) {
        List<CgroupId> out = new ArrayList<>();
        try (PreparedStatement ps = journal.indexConnection().prepareStatement("SELECT g.\"cgroup_id\" FROM "
                + "PUBLIC.\"cgledger_replay_paths\" p JOIN PUBLIC.\"cgledger_replay_groups\" g ON g.\"cgroup_id\" = "
                + "p.\"cgroup_id\" WHERE p.\"path\" = ? ORDER BY g.\"created\"")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CgroupId(rs.getLong(1)));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    /**
     * The ids of the groups that ever lived at {@code path} or under it ({@link Names#reached}), as
     * {@link Log}'s path filter takes them; the index must be current.
     */
    static Set<Long> groupsAtOrUnder(JournalRows journal, String path) {
        String under = path.endsWith("/") ? path : path + "/";
        Set<Long> out = new HashSet<>();
        try (PreparedStatement ps = journal.indexConnection().prepareStatement("SELECT DISTINCT \"cgroup_id\" FROM "
                + "PUBLIC.\"cgledger_replay_paths\" WHERE \"path\" = ? OR \"path\" LIKE ? ESCAPE '\\'")) {
            ps.setString(1, path);
            ps.setString(2, under.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    /**
     * Where the rows numbered {@code from} to {@code to} that touch any of {@code groups} are stored,
     * each once, by event number; null if they are more than {@code most} (one read per row then
     * costs more than reading the journal). The index must be current.
     */
    static List<JournalRows.Key> touching(JournalRows journal, Set<Long> groups, long from, long to, int most) {
        java.util.TreeMap<Long, JournalRows.Key> bySeq = new java.util.TreeMap<>();
        try (PreparedStatement ps = journal.indexConnection().prepareStatement("SELECT \"seq\", \"persistence_id\", "
                + "\"sequence_number\" FROM PUBLIC.\"cgledger_replay_touches\" WHERE \"cgroup_id\" = ? AND \"seq\" >= ? "
                + "AND \"seq\" <= ?")) {
            for (long id : groups) {
                ps.setLong(1, id);
                ps.setLong(2, from);
                ps.setLong(3, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        bySeq.putIfAbsent(rs.getLong(1), new JournalRows.Key(rs.getString(2), rs.getLong(3)));
                    }
                }
                if (bySeq.size() > most) {
                    return null;
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return new ArrayList<>(bySeq.values());
    }

    /** The path cgroup {@code id} was created at, if the index knows it. */
    public static Optional<String> pathOf(JournalRows journal, CgroupId id) {
        try (PreparedStatement ps = journal.indexConnection().prepareStatement("SELECT \"path\" FROM "
                + "PUBLIC.\"cgledger_replay_groups\" WHERE \"cgroup_id\" = ?")) {
            ps.setLong(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * The history of {@code path} through the index (which must be current: {@link #ensure}),
     * identical to {@link History#replay} over the same journal.
     */
    public static List<History.Incarnation> history(JournalRows journal, String path) {
        List<History.Incarnation> out = new ArrayList<>();
        for (CgroupId id : incarnations(journal, path)) {
            out.add(history(journal, id, path));
        }
        return out;
    }

    /** The history of one cgroup by id, through the index. */
    public static History.Incarnation history(JournalRows journal, CgroupId id, String path) {
        Connection c = journal.indexConnection();
        List<JournalRows.Key> keys = new ArrayList<>();
        Map<Long, String> counters = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT \"seq\", \"persistence_id\", \"sequence_number\", "
                + "\"refcounts\" FROM PUBLIC.\"cgledger_replay_touches\" WHERE \"cgroup_id\" = ? ORDER BY \"seq\"")) {
            ps.setLong(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new JournalRows.Key(rs.getString(2), rs.getLong(3)));
                    counters.put(rs.getLong(1), rs.getString(4));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        List<Journals.Stored> rows = journal.read(keys);
        Names names = names(journal, rows);
        List<History.Entry> entries = new ArrayList<>();
        for (Journals.Stored r : rows) {
            entries.add(new History.Entry(r.record().seq(), r.record().time(), Describe.event(r.record().event(), names),
                    counters.getOrDefault(r.record().seq(), "")));
        }
        return new History.Incarnation(id, path, entries);
    }

    /** The names the index holds of the groups {@code rows}' events name (their paths at creation). */
    static Names names(JournalRows journal, List<Journals.Stored> rows) {
        Set<CgroupId> ids = new HashSet<>();
        for (Journals.Stored r : rows) {
            Event e = r.record().event();
            if (e instanceof TaskAttached a) {
                ids.add(a.from());
                ids.add(a.to());
            } else if (e instanceof CgroupCreated x) {
                ids.add(x.cgroup());
            } else if (e instanceof CgroupRemoved x) {
                ids.add(x.cgroup());
            } else if (e instanceof LimitSet x) {
                ids.add(x.cgroup());
            } else if (e instanceof MoveChargeSet x) {
                ids.add(x.cgroup());
            } else if (e instanceof NotifyOnReleaseSet x) {
                ids.add(x.cgroup());
            } else if (e instanceof ReleaseNotified x) {
                ids.add(x.cgroup());
            } else if (e instanceof RmdirRefused x) {
                ids.add(x.cgroup());
            }
        }
        Names names = new Names();
        try (PreparedStatement ps = journal.indexConnection().prepareStatement("SELECT \"path\" FROM "
                + "PUBLIC.\"cgledger_replay_groups\" WHERE \"cgroup_id\" = ?")) {
            for (CgroupId id : ids) {
                ps.setLong(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        names.put(id, rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return names;
    }
}
