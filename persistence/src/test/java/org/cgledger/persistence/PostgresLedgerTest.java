package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.cgledger.core.command.Command;
import org.cgledger.core.state.Refcounts;
import org.cgledger.core.state.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same ledger on PostgreSQL, by configuration alone. Runs when a server is reachable at
 * {@code CGLEDGER_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/cgledger_test},
 * user/password {@code CGLEDGER_TEST_PG_USER}/{@code CGLEDGER_TEST_PG_PASSWORD}, default
 * cgledger/cgledger); skipped, saying why, when none is. {@code .ci/run} starts one if the machine
 * has PostgreSQL installed.
 */
@DisplayName("The durable ledger on PostgreSQL")
class PostgresLedgerTest {

    @TempDir
    Path dir;

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static final String SERVER_URL = env("CGLEDGER_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/cgledger_test");
    static final String SERVER_USER = env("CGLEDGER_TEST_PG_USER", "cgledger");
    static final String SERVER_PASSWORD = env("CGLEDGER_TEST_PG_PASSWORD", "cgledger");

    /**
     * Drops the ledger's tables from the test server's public schema, then runs {@code statements};
     * skips the test, saying why, when no server is reachable.
     */
    private static void emptied(String... statements) {
        try (Connection c = DriverManager.getConnection(SERVER_URL, SERVER_USER, SERVER_PASSWORD);
             Statement st = c.createStatement()) {
            for (String t : new String[] {"event_tag", "event_journal", "snapshot", "cgledger_recovery",
                "cgledger_model_snapshot"}) {
                st.execute("DROP TABLE IF EXISTS public." + t + " CASCADE");
            }
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            assumeTrue(false, "no PostgreSQL server reachable at " + SERVER_URL + " as " + SERVER_USER + " ("
                    + e.getMessage().lines().findFirst().orElse("") + "); set CGLEDGER_TEST_PG_URL to run this test");
        }
    }

    @Test
    void sameCodeOnPostgres() throws Exception {
        emptied();
        String url = SERVER_URL;
        String user = SERVER_USER;
        String password = SERVER_PASSWORD;
        DurableLedger.Options o = DurableLedger.Options.defaults().withJournal(url, user, password)
                .withSnapshots(10, 1);
        assertThat(DurableLedger.serverJournalHoldsEvents(o)).as("no journal table yet").isFalse();
        State before;
        try (DurableLedger l = DurableLedger.open(dir, o)) {
            for (Command c : Scenarios.everyEvent()) {
                assertThat(l.execute(c)).as("%s", c)
                        .isInstanceOf(Scenarios.refused(c) ? Outcome.Refused.class : Outcome.Done.class);
            }
            before = l.state();
        }
        // the journal on the server is the ledger, whatever its directory holds (a lost one: not a new ledger)
        assertThat(DurableLedger.serverJournalHoldsEvents(o)).isTrue();
        try (DurableLedger l = DurableLedger.open(dir, o)) {
            assertThat(l.state()).isEqualTo(before);
            assertThat(l.recovery().snapshotSeq()).isGreaterThan(0);
            assertThat(Refcounts.violations(l.state())).isEmpty();
        }
        try (DurableLedger l = DurableLedger.open(dir, o.withReadSnapshots(false))) {
            assertThat(l.state()).isEqualTo(before);
            assertThat(l.recovery().replayed()).isEqualTo(before.lastEvent());
        }
    }

    @Test
    @DisplayName("a table named event_journal in another schema is not the journal: no ledger while public has none "
            + "(it had been taken for the journal, and asking it then failed: 'relation \"event_journal\" does not exist')")
    void journalTableOfAnotherSchema() throws Exception {
        String url = SERVER_URL;
        String user = SERVER_USER;
        String password = SERVER_PASSWORD;
        String other = "cgledger_test_other";
        emptied("DROP SCHEMA IF EXISTS " + other + " CASCADE", "CREATE SCHEMA " + other,
                "CREATE TABLE " + other + ".event_journal (ordering BIGINT)",
                "INSERT INTO " + other + ".event_journal VALUES (1)");
        try {
            DurableLedger.Options o = DurableLedger.Options.defaults().withJournal(url, user, password);
            assertThat(DurableLedger.serverJournalHoldsEvents(o)).as("only another schema's table").isFalse();
            try (DurableLedger l = DurableLedger.open(dir, o)) {
                assertThat(DurableLedger.serverJournalHoldsEvents(o)).as("the journal, empty").isFalse();
                assertThat(l.execute(Scenarios.everyEvent().get(0))).isInstanceOf(Outcome.Done.class);
            }
            assertThat(DurableLedger.serverJournalHoldsEvents(o)).as("the journal, written").isTrue();
        } finally {
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + other + " CASCADE");
            }
        }
    }

    @Test
    @DisplayName("with a search path that leads first to another schema holding the plugin's tables, events are "
            + "still written to public, where every reader reads them (the plugin had written to the first schema's "
            + "tables by their bare names)")
    void writesGoToPublicWhateverTheSearchPath() throws Exception {
        String url = SERVER_URL;
        String user = SERVER_USER;
        String password = SERVER_PASSWORD;
        String other = "cgledger_test_path";
        emptied("DROP SCHEMA IF EXISTS " + other + " CASCADE");
        try {
            List<Command> commands = Scenarios.everyEvent();
            DurableLedger.Options plain = DurableLedger.Options.defaults().withJournal(url, user, password);
            try (DurableLedger l = DurableLedger.open(dir, plain)) {
                assertThat(l.execute(commands.get(0))).isInstanceOf(Outcome.Done.class);
            }
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + other);
                for (String t : new String[] {"event_journal", "event_tag", "snapshot"}) {
                    st.execute("CREATE TABLE " + other + "." + t + " (LIKE public." + t + " INCLUDING ALL)");
                }
            }
            String pathFirst = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + other + ",public";
            DurableLedger.Options o = DurableLedger.Options.defaults().withJournal(pathFirst, user, password);
            try (DurableLedger l = DurableLedger.open(dir, o)) {
                for (Command c : commands.subList(1, commands.size())) {
                    assertThat(l.execute(c)).as("%s", c)
                            .isInstanceOf(Scenarios.refused(c) ? Outcome.Refused.class : Outcome.Done.class);
                }
            }
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                try (java.sql.ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM public.event_journal), "
                        + "(SELECT COUNT(*) FROM " + other + ".event_journal)")) {
                    rs.next();
                    assertThat(rs.getLong(2)).as("rows in " + other).isZero();
                    assertThat(rs.getLong(1)).as("rows in public").isGreaterThanOrEqualTo(commands.size());
                }
            }
            try (DurableLedger l = DurableLedger.open(dir, o)) {
                assertThat(l.state().lastEvent()).as("reopened through the same search path").isGreaterThanOrEqualTo(commands.size());
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + other + " CASCADE");
            }
        }
    }
}
