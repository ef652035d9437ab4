package org.cgledger.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.LedgerException;

/**
 * The history index: for every cgroup ever created, its path, and for every event that touched it
 * (ledger number, where the row is stored, the group's counters after it). Kept in tables of its
 * own in the ledger's database ({@code cgledger_replay_*}; the journal tables are never written),
 * built by one fold of the whole journal and rebuilt when the journal has changed since (its row
 * count or its last row's number). A query then
 * reads only the group's own rows, by primary key: its cost depends on the group's events, not on
 * the journal's length (and no tag query of the read journal is involved, whose ordering gaps
 * stalled ~10 s here).
 */
public final class HistoryIndex {

    private HistoryIndex() {
    }

    private static final String DDL = """
            CREATE TABLE IF NOT EXISTS PUBLIC."cgledger_replay_meta" ("rows" BIGINT NOT NULL);
            ALTER TABLE PUBLIC."cgledger_replay_meta" ADD COLUMN IF NOT EXISTS "last" BIGINT DEFAULT -2 NOT NULL;
            CREATE TABLE IF NOT EXISTS PUBLIC."cgledger_replay_groups" ("cgroup_id" BIGINT PRIMARY KEY,
                "path" VARCHAR NOT NULL, "created" BIGINT NOT NULL);
            CREATE INDEX IF NOT EXISTS "cgledger_replay_groups_path" ON PUBLIC."cgledger_replay_groups" ("path");
            CREATE TABLE IF NOT EXISTS PUBLIC."cgledger_replay_touches" ("cgroup_id" BIGINT NOT NULL,
                "seq" BIGINT NOT NULL, "persistence_id" VARCHAR(255) NOT NULL, "sequence_number" BIGINT NOT NULL,
                "refcounts" VARCHAR NOT NULL, PRIMARY KEY ("cgroup_id", "seq", "persistence_id", "sequence_number"))
            """;

    /** Whether the index covers every stored row. */
    public static boolean isCurrent(JournalRows journal) {
        try (Statement st = journal.connection().createStatement()) {
            for (String sql : DDL.split(";")) {
                st.execute(sql);
            }
            try (ResultSet rs = st.executeQuery("SELECT \"rows\", \"last\" FROM PUBLIC.\"cgledger_replay_meta\"")) {
                return rs.next() && rs.getLong(1) == journal.count() && rs.getLong(2) == journal.lastOrdering();
            }
        } catch (SQLException e) {
            throw new LedgerException("history index unreadable: " + e.getMessage(), e);
        }
    }

    /** Builds the index from scratch over {@code rows} (the whole journal as stored); returns rows indexed. */
    public static long build(JournalRows journal, List<Journals.Stored> rows) {
        Connection c = journal.connection();
        try (Statement st = c.createStatement()) {
            for (String sql : DDL.split(";")) {
                st.execute(sql);
            }
            // emptied and filled in commits of their own: an index without its meta row is not current,
            // so one cut short is built again next time (one transaction of every delete and insert,
            // millions of them on a 1,000,000-event journal, took H2 minutes)
            st.execute("DELETE FROM PUBLIC.\"cgledger_replay_meta\"");
            st.execute("TRUNCATE TABLE PUBLIC.\"cgledger_replay_groups\"");
            st.execute("TRUNCATE TABLE PUBLIC.\"cgledger_replay_touches\"");
            c.setAutoCommit(false);
            try (PreparedStatement groups = c.prepareStatement("INSERT INTO PUBLIC.\"cgledger_replay_groups\" VALUES (?, ?, ?)");
                 PreparedStatement touches = c.prepareStatement("INSERT INTO PUBLIC.\"cgledger_replay_touches\" "
                         + "VALUES (?, ?, ?, ?, ?)")) {
                int[] batch = {0};
                History.fold(rows, new History.Sink() {
                    @Override
                    public void touched(CgroupId cgroup, int row, Journals.Stored stored, String refcounts) {
                        try {
                            touches.setLong(1, cgroup.value());
                            touches.setLong(2, stored.record().seq());
                            touches.setString(3, stored.persistenceId());
                            touches.setLong(4, stored.sequenceNr());
                            touches.setString(5, refcounts);
                            touches.addBatch();
                            if (++batch[0] % 5_000 == 0) {
                                touches.executeBatch();
                                c.commit();
                            }
                        } catch (SQLException e) {
                            throw new LedgerException("cannot write the history index: " + e.getMessage(), e);
                        }
                    }

                    @Override
                    public void created(CgroupId cgroup, String path, long seq) {
                        try {
                            groups.setLong(1, cgroup.value());
                            groups.setString(2, path);
                            groups.setLong(3, seq);
                            groups.executeUpdate();
                        } catch (SQLException e) {
                            throw new LedgerException("cannot write the history index: " + e.getMessage(), e);
                        }
                    }
                });
                touches.executeBatch();
            }
            try (PreparedStatement meta = c.prepareStatement("INSERT INTO PUBLIC.\"cgledger_replay_meta\" "
                    + "(\"rows\", \"last\") VALUES (?, ?)")) {
                meta.setLong(1, rows.size());
                meta.setLong(2, journal.lastOrdering());
                meta.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
            return rows.size();
        } catch (SQLException e) {
            throw new LedgerException("cannot build the history index: " + e.getMessage(), e);
        }
    }

    /** Builds the index if the journal grew since it was built. Returns whether it (re)built. */
    public static boolean ensure(JournalRows journal) {
        if (isCurrent(journal)) {
            return false;
        }
        build(journal, journal.readAll());
        return true;
    }

    /** The cgroups ever created at {@code path}, by id. */
    public static List<CgroupId> incarnations(JournalRows journal, String path) {
        List<CgroupId> out = new ArrayList<>();
        try (PreparedStatement ps = journal.connection().prepareStatement("SELECT \"cgroup_id\" FROM "
                + "PUBLIC.\"cgledger_replay_groups\" WHERE \"path\" = ? ORDER BY \"created\"")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CgroupId(rs.getLong(1)));
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("history index unreadable: " + e.getMessage(), e);
        }
        return out;
    }

    /** The path cgroup {@code id} was created at, if the index knows it. */
    public static java.util.Optional<String> pathOf(JournalRows journal, CgroupId id) {
        try (PreparedStatement ps = journal.connection().prepareStatement("SELECT \"path\" FROM "
                + "PUBLIC.\"cgledger_replay_groups\" WHERE \"cgroup_id\" = ?")) {
            ps.setLong(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("history index unreadable: " + e.getMessage(), e);
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
        Connection c = journal.connection();
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
            throw new LedgerException("history index unreadable: " + e.getMessage(), e);
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

    private static Names names(JournalRows journal, List<Journals.Stored> rows) {
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
        try (PreparedStatement ps = journal.connection().prepareStatement("SELECT \"path\" FROM "
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
            throw new LedgerException("history index unreadable: " + e.getMessage(), e);
        }
        return names;
    }
}
