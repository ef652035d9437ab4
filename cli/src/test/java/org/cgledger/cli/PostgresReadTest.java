package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cgledger.persistence.DurableLedger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's readers on a ledger whose journal is on PostgreSQL, by configuration alone
 * ({@code cgledger.journal.url}, as {@code CGLEDGER_JOURNAL_URL} sets it), through the production
 * opener: they answer as on the H2 file. Runs when a server is reachable at
 * {@code CGLEDGER_TEST_PG_URL} (as {@code PostgresLedgerTest}: default
 * {@code jdbc:postgresql://127.0.0.1:5432/cgledger_test}, user and password {@code cgledger});
 * skipped, saying why, when none is.
 */
@DisplayName("The journal's readers on a PostgreSQL journal")
class PostgresReadTest {

    @TempDir
    Path tmp;

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static final String URL = env("CGLEDGER_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/cgledger_test");
    static final String USER = env("CGLEDGER_TEST_PG_USER", "cgledger");
    static final String PASSWORD = env("CGLEDGER_TEST_PG_PASSWORD", "cgledger");

    /** An empty journal on the server: its tables dropped; the test is skipped when no server answers. */
    static void emptyServer() {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement st = c.createStatement()) {
            for (String t : new String[] {"event_tag", "event_journal", "snapshot", "cgledger_recovery",
                "cgledger_model_snapshot"}) {
                st.execute("DROP TABLE IF EXISTS public." + t + " CASCADE");
            }
        } catch (SQLException e) {
            assumeTrue(false, "no PostgreSQL server reachable at " + URL + " as " + USER + " ("
                    + e.getMessage().lines().findFirst().orElse("") + "); set CGLEDGER_TEST_PG_URL to run this test");
        }
    }

    /** {@code body} with the configuration keeping the journal on the server ({@code pg}) or in the H2 file. */
    static <T> T configured(boolean pg, Supplier<T> body) {
        if (pg) {
            System.setProperty("cgledger.journal.url", URL);
            System.setProperty("cgledger.journal.user", USER);
            System.setProperty("cgledger.journal.password", PASSWORD);
        }
        com.typesafe.config.ConfigFactory.invalidateCaches();
        try {
            return body.get();
        } finally {
            System.clearProperty("cgledger.journal.url");
            System.clearProperty("cgledger.journal.user");
            System.clearProperty("cgledger.journal.password");
            com.typesafe.config.ConfigFactory.invalidateCaches();
        }
    }

    Harness.Run run(boolean pg, String stdin, String... args) {
        return configured(pg, () -> {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true),
                    Main.PRODUCTION, Map.of(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false)
                    .execute(args);
            return new Harness.Run(code, out.toString(), err.toString());
        });
    }

    static final String FIRST = """
            init --subsys A,B
            mount -o A none /H1
            mount -o B none /H2
            mkdir /H1/foo
            mkdir /H2/bar
            attach 1 /H1/foo
            attach 1 /H2/bar
            charge 1 A file:1
            """;

    static final String SECOND = """
            attach 1 /H1
            attach 1 /H2
            uncharge file:1
            rmdir /H1/foo
            mkdir /H1/foo
            fork 1 --pid 2
            attach 2 /H1/foo
            set /H1/foo notify_on_release 1
            """;

    /** The readers asked, each as its arguments after {@code --ledger DIR}. */
    static final List<List<String>> READERS = List.of(List.of("log"), List.of("log", "--json"),
            List.of("log", "--path", "/H1/foo"), List.of("log", "--from", "3", "--to", "9"),
            List.of("log", "--type", "TaskAttached"), List.of("audit"), List.of("audit", "--json"), List.of("export"),
            List.of("replay", "--to-event", "3"), List.of("replay", "--to-event", "12"), List.of("replay"),
            List.of("history", "/H1/foo"), List.of("history", "/H1/foo"), List.of("history", "/H2/bar"),
            List.of("tree", "--at-event", "7"), List.of("stat", "/H1/foo", "--at-event", "8"),
            List.of("csssets", "--at-event", "5"), List.of("ps", "--at-event", "14"),
            List.of("who-holds", "A1", "--at-event", "8"), List.of("explain", "/H1/foo", "--at-event", "8"),
            List.of("graph", "--at-event", "8"), List.of("diff", "--from", "3", "--to", "14"));

    /** Every reader's answer on the ledger in {@code dir}, by its arguments. */
    Map<String, Harness.Run> answers(boolean pg, Path dir) {
        Map<String, Harness.Run> out = new LinkedHashMap<>();
        int i = 0;
        for (List<String> reader : READERS) {
            String[] args = new String[reader.size() + 2];
            args[0] = "--ledger";
            args[1] = dir.toString();
            for (int j = 0; j < reader.size(); j++) {
                args[j + 2] = reader.get(j);
            }
            // (history twice: building the index, then through it)
            out.put(i++ + " " + String.join(" ", reader), run(pg, "", args));
        }
        return out;
    }

    /** {@code answers} with the times events were recorded at taken out: two ledgers written at two moments. */
    static Map<String, Harness.Run> timeless(Map<String, Harness.Run> answers) {
        Map<String, Harness.Run> out = new LinkedHashMap<>();
        answers.forEach((k, r) -> out.put(k, new Harness.Run(r.code(), timeless(r.out()), timeless(r.err()))));
        return out;
    }

    static String timeless(String s) {
        return s.replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "TIME").replaceAll("\"time\":\\d+", "\"time\":0");
    }

    /** The ledger in {@code dir} written by {@link #FIRST}, a model snapshot, then {@link #SECOND}. */
    void write(boolean pg, Path dir) {
        assertThat(run(pg, FIRST, "--ledger", dir.toString(), "sh")).isEqualTo(new Harness.Run(0, "", ""));
        // a model snapshot after event #8 (the command line keeps one every 100,000 events): time travel
        // past it starts from it
        configured(pg, () -> {
            DurableLedger.open(dir, DurableLedger.Options.defaults().withSnapshots(100_000, 1)).close();
            return null;
        });
        assertThat(run(pg, SECOND, "--ledger", dir.toString(), "sh")).isEqualTo(new Harness.Run(0, "2\n", ""));
    }

    @Test
    @DisplayName("log, audit, export, replay, history, who-holds, explain, graph, diff and the views' --at-event answer "
            + "on a PostgreSQL journal as on the H2 file: the same commands written to both, and the H2 ledger "
            + "imported from the PostgreSQL one's export")
    void readersReadTheServer() throws Exception {
        emptyServer();
        Path h2 = tmp.resolve("h2");
        Path pg = tmp.resolve("pg");
        write(false, h2);
        write(true, pg);
        try (var entries = Files.list(pg)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("ledger.lock");
        }

        Map<String, Harness.Run> onServer = answers(true, pg);
        onServer.forEach((k, r) -> assertThat(r.err()).as(k).isEmpty());
        assertThat(onServer.get("0 log").out().lines()).hasSize(19);
        assertThat(onServer.get("5 audit").out()).startsWith("audit: clean: 19 events");
        assertThat(onServer.get("11 history /H1/foo").out()).startsWith("/H1/foo: 2 incarnations\n");
        assertThat(timeless(onServer)).isEqualTo(timeless(answers(false, h2)));
        // the history index beside the journal on the server: an H2 file of its own, no journal file
        try (var entries = Files.list(pg)) {
            assertThat(entries.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("history.mv.db", "ledger.lock");
        }

        // the same rows in an H2 file (times included): every answer the same, to the character
        Path file = tmp.resolve("pg.jsonl");
        assertThat(run(true, "", "--ledger", pg.toString(), "export", file.toString()))
                .isEqualTo(new Harness.Run(0, "exported 19 events to " + file + "\n", ""));
        Path imported = tmp.resolve("imported");
        assertThat(run(false, "", "--ledger", imported.toString(), "import", file.toString()).code()).isZero();
        assertThat(onServer).isEqualTo(answers(false, imported));

        // a write since: the index no longer covers the journal, and is built again from the server's rows
        assertThat(run(true, "", "--ledger", pg.toString(), "mkdir", "/H1/foo/baz").code()).isZero();
        assertThat(run(false, "", "--ledger", h2.toString(), "mkdir", "/H1/foo/baz").code()).isZero();
        for (String path : List.of("/H1/foo/baz", "/H1/foo")) {
            Harness.Run server = run(true, "", "--ledger", pg.toString(), "history", path);
            assertThat(server.out()).startsWith(path + (path.endsWith("baz") ? ": 1 incarnation\n" : ": 2 incarnations\n"));
            assertThat(timeless(server.out())).isEqualTo(timeless(run(false, "", "--ledger", h2.toString(), "history",
                    path).out()));
        }
        assertThat(timeless(run(true, "", "--ledger", pg.toString(), "log", "--path", "/H1/foo").out()))
                .isEqualTo(timeless(run(false, "", "--ledger", h2.toString(), "log", "--path", "/H1/foo").out()));
    }

    @Test
    @DisplayName("import onto a PostgreSQL journal: the rows as exported, every reader answering as on the H2 ledger "
            + "exported; refused (EEXIST, nothing written) once the journal there holds events, from any directory")
    void importOntoTheServer() throws Exception {
        emptyServer();
        Path h2 = tmp.resolve("h2");
        write(false, h2);
        Path file = tmp.resolve("h2.jsonl");
        assertThat(run(false, "", "--ledger", h2.toString(), "export", file.toString()).code()).isZero();
        Path pg = tmp.resolve("pg");
        assertThat(run(true, "", "--ledger", pg.toString(), "import", file.toString()))
                .isEqualTo(new Harness.Run(0, "imported 19 events (up to event #19) into " + pg + "\n", ""));
        try (var entries = Files.list(pg)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("ledger.lock");
        }
        assertThat(answers(true, pg)).isEqualTo(answers(false, h2));
        for (Path again : List.of(pg, tmp.resolve("other"))) {
            Harness.Run r = run(true, "", "--ledger", again.toString(), "import", file.toString());
            assertThat(r.code()).as("%s", again).isEqualTo(1);
            assertThat(r.err()).as("%s", again).startsWith("import: " + again + ": File exists (EEXIST: a ledger already "
                    + "exists there");
        }
        assertThat(tmp.resolve("other")).doesNotExist();
        // a ledger like any other: it opens, and is written
        assertThat(run(true, "", "--ledger", pg.toString(), "mkdir", "/H1/foo/baz").code()).isZero();
        assertThat(run(true, "", "--ledger", pg.toString(), "audit").out()).startsWith("audit: clean: 20 events");
    }

    @Test
    @DisplayName("import onto a PostgreSQL journal into a directory holding an H2 journal that records nothing (a first "
            + "write killed before its first event): accepted, the file removed, as without a server (it had been "
            + "refused as a ledger); one that records events is refused")
    void importOverAnH2JournalOfNothing() throws Exception {
        emptyServer();
        Path h2 = tmp.resolve("h2");
        write(false, h2);
        Path file = tmp.resolve("h2.jsonl");
        assertThat(run(false, "", "--ledger", h2.toString(), "export", file.toString()).code()).isZero();
        Path unfinished = tmp.resolve("unfinished");
        DurableLedger.open(unfinished).close();
        assertThat(unfinished.resolve("journal.mv.db")).isNotEmptyFile();
        assertThat(run(true, "", "--ledger", unfinished.toString(), "import", file.toString()))
                .isEqualTo(new Harness.Run(0, "imported 19 events (up to event #19) into " + unfinished + "\n", ""));
        try (var entries = Files.list(unfinished)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("ledger.lock");
        }
        assertThat(answers(true, unfinished)).isEqualTo(answers(false, h2));
        // an H2 journal that records events is a ledger, the server's journal empty or not
        emptyServer();
        Harness.Run r = run(true, "", "--ledger", h2.toString(), "import", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("import: " + h2 + ": File exists (EEXIST: a ledger already exists there");
        assertThat(run(false, "", "--ledger", h2.toString(), "log").out().lines()).hasSize(19);
    }

    @Test
    @DisplayName("import onto a server whose journal was dropped, into the directory of the ledger that was there: the "
            + "history index that ledger left is not taken for the new journal's (as many rows, numbered alike)")
    void importOverALeftIndex() throws Exception {
        Path h2 = tmp.resolve("h2");
        assertThat(run(false, "init --subsys A\nmount -o A none /H1\nmkdir /H1/b\n", "--ledger", h2.toString(), "sh")
                .code()).isZero();
        Path file = tmp.resolve("h2.jsonl");
        assertThat(run(false, "", "--ledger", h2.toString(), "export", file.toString()).code()).isZero();
        emptyServer();
        Path pg = tmp.resolve("pg");
        assertThat(run(true, "init --subsys A\nmount -o A none /H1\nmkdir /H1/a\n", "--ledger", pg.toString(), "sh")
                .code()).isZero();
        assertThat(run(true, "", "--ledger", pg.toString(), "history", "/H1/a").out()).startsWith("/H1/a: 1 incarnation");
        assertThat(pg.resolve("history.mv.db")).exists();
        emptyServer();
        assertThat(run(true, "", "--ledger", pg.toString(), "import", file.toString()).code()).isZero();
        assertThat(run(true, "", "--ledger", pg.toString(), "history", "/H1/b").out()).startsWith("/H1/b: 1 incarnation");
        assertThat(run(true, "", "--ledger", pg.toString(), "history", "/H1/a").out())
                .isEqualTo(run(false, "", "--ledger", h2.toString(), "history", "/H1/a").out());
    }

    @Test
    @DisplayName("a reader of a ledger whose directory is gone reads the journal on the server (the directory is made "
            + "again for the lock, as a writer makes it); one whose server has no journal says so, exit 3")
    void lostDirectoryAndNoJournal() throws Exception {
        emptyServer();
        Path pg = tmp.resolve("pg");
        assertThat(run(true, FIRST, "--ledger", pg.toString(), "sh").code()).isZero();
        String log = run(true, "", "--ledger", pg.toString(), "log").out();
        assertThat(log.lines()).hasSize(8);
        Files.delete(pg.resolve("ledger.lock"));
        Files.delete(pg);
        assertThat(run(true, "", "--ledger", pg.toString(), "log")).isEqualTo(new Harness.Run(0, log, ""));
        assertThat(run(true, "", "--ledger", pg.toString(), "audit").out()).startsWith("audit: clean: 8 events");

        emptyServer();
        Harness.Run none = run(true, "", "--ledger", pg.toString(), "log");
        assertThat(none.code()).isEqualTo(3);
        assertThat(none.err()).isEqualTo("cgledger: cannot open the journal in " + pg + ": no journal on " + URL + "\n");
    }
}
