package org.cgledger.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.cgledger.core.command.Attach;
import org.cgledger.core.command.Charge;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Fork;
import org.cgledger.core.command.Init;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.command.Rmdir;
import org.cgledger.core.command.Uncharge;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.Outcome;

/** Ledgers for the tests: the seed of DESIGN.md §3, written through a real DurableLedger, and SQL to damage them. */
final class Fixtures {

    private Fixtures() {
    }

    /** Every row of the history index's groups, paths and touches tables, in key order. */
    static List<String> indexTables(JournalRows j) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String q : List.of("SELECT * FROM PUBLIC.\"cgledger_replay_groups\" ORDER BY \"cgroup_id\"",
                "SELECT * FROM PUBLIC.\"cgledger_replay_paths\" ORDER BY \"path\", \"cgroup_id\"",
                "SELECT * FROM PUBLIC.\"cgledger_replay_touches\" ORDER BY \"cgroup_id\", \"seq\"")) {
            try (Statement st = j.connection().createStatement(); ResultSet rs = st.executeQuery(q)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int c = 1; c <= n; c++) {
                        row.append(rs.getString(c)).append('|');
                    }
                    out.add(row.toString());
                }
            }
        }
        return out;
    }

    /** DESIGN.md §3 steps 1–8 under {@code rmdir}; {@code uncharge} adds {@code uncharge file:1} after the rmdir. */
    static List<Command> seed(RmdirPolicy rmdir, boolean uncharge) {
        List<Command> c = new ArrayList<>(List.of(
                new Init(List.of("A", "B"), PinPolicy.CSS, rmdir),
                new Mount("A", "/H1"), new Mount("B", "/H2"),
                new Mkdir("/H1/foo", false), new Mkdir("/H2/bar", false),
                new Attach("1", "/H1/foo"), new Attach("1", "/H2/bar"),
                new Charge(Pid.INIT, "A", "file:1", 1, false),
                new Attach("1", "/H1"), new Attach("1", "/H2"),
                new Rmdir("/H1/foo")));
        if (uncharge) {
            c.add(new Uncharge("file:1", null));
        }
        return c;
    }

    /** A small busy ledger: a second task in /H1/foo charging and uncharging, then more. */
    static List<Command> busy() {
        return List.of(
                new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.OFFLINE),
                new Mount("A", "/H1"), new Mount("B", "/H2"),
                new Mkdir("/H1/foo", false), new Mkdir("/H2/bar", false),
                new Fork(Pid.INIT, Pid.of(2)),
                new Attach("2", "/H1/foo"),
                new Charge(Pid.of(2), "A", "file:2", 5, false),
                new Uncharge("file:2", null),
                new Charge(Pid.of(2), "A", "file:3", 5, false),
                new Attach("2", "/H2/bar"),
                new Fork(Pid.of(2), Pid.of(3)),
                new Attach("3", "/H1"));
    }

    /** Writes {@code commands} into a new ledger in {@code dir}; every one must be accepted. */
    static void write(Path dir, List<Command> commands) {
        try (DurableLedger l = DurableLedger.open(dir)) {
            for (Command c : commands) {
                assertThat(l.execute(c)).as("%s", c).isInstanceOf(Outcome.Done.class);
            }
        }
    }

    /**
     * The journal's rows as the audit command reads them: kept encoded and decoded as each is
     * asked for ({@link JournalRows#readAllEncoded}), checked row by row against the decoded
     * {@link Journals#readAll}, whatever the tampering.
     */
    static List<Journals.Stored> read(Path dir) {
        List<Journals.Stored> decoded = Journals.readAll(dir, Duration.ofSeconds(10));
        List<Journals.Stored> encoded;
        try (JournalRows rows = JournalRows.open(dir, Duration.ofSeconds(10))) {
            encoded = rows.readAllEncoded();
        }
        assertThat(encoded).as("the encoded rows, in order").isEqualTo(decoded);
        return encoded;
    }

    static Connection sql(Path dir) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("journal"), "sa", "");
    }

    /** A stored row as the table has it. */
    record Row(String persistenceId, long nr, String payload) {
    }

    /** The first row whose payload matches, in ledger order. */
    static Row find(Path dir, Predicate<String> payload) throws SQLException {
        try (Connection c = sql(dir); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"persistence_id\", \"sequence_number\", \"event_payload\" FROM "
                     + "PUBLIC.\"event_journal\" ORDER BY \"ordering\"")) {
            while (rs.next()) {
                String p = new String(rs.getBytes(3), StandardCharsets.UTF_8);
                if (payload.test(p)) {
                    return new Row(rs.getString(1), rs.getLong(2), p);
                }
            }
        } finally {
            shutdown(dir);
        }
        throw new AssertionError("no such row");
    }

    /** Deletes {@code row} from the journal. */
    static void delete(Path dir, Row row) throws SQLException {
        update(dir, "DELETE FROM PUBLIC.\"event_journal\" WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?",
                row.persistenceId(), row.nr());
    }

    /** Stores {@code payload} in place of {@code row}'s. */
    static void rewrite(Path dir, Row row, String payload) throws SQLException {
        update(dir, "UPDATE PUBLIC.\"event_journal\" SET \"event_payload\" = ? WHERE \"persistence_id\" = ? "
                + "AND \"sequence_number\" = ?", payload.getBytes(StandardCharsets.UTF_8), row.persistenceId(), row.nr());
    }

    static void update(Path dir, String sql, Object... args) throws SQLException {
        try (Connection c = sql(dir); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof byte[] b) {
                    ps.setBytes(i + 1, b);
                } else {
                    ps.setObject(i + 1, a);
                }
            }
            assertThat(ps.executeUpdate()).as(sql).isEqualTo(1);
        } finally {
            shutdown(dir);
        }
    }

    static long maxNr(Path dir, String persistenceId) throws SQLException {
        try (Connection c = sql(dir); PreparedStatement ps = c.prepareStatement("SELECT MAX(\"sequence_number\") FROM "
                + "PUBLIC.\"event_journal\" WHERE \"persistence_id\" = ?")) {
            ps.setString(1, persistenceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } finally {
            shutdown(dir);
        }
    }

    static void shutdown(Path dir) throws SQLException {
        try (Connection c = sql(dir); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN");
        }
    }

    static long seqOf(String payload) {
        int i = payload.indexOf("\"seq\":") + 6;
        int j = i;
        while (Character.isDigit(payload.charAt(j))) {
            j++;
        }
        return Long.parseLong(payload.substring(i, j));
    }
}
