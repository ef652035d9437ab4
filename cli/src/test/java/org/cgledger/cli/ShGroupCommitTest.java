package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cgledger.core.command.Command;
import org.cgledger.core.decide.Paths;
import org.cgledger.core.state.State;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.ForwardingLedger;
import org.cgledger.persistence.InMemoryLedger;
import org.cgledger.persistence.Ledger;
import org.cgledger.persistence.LedgerException;
import org.cgledger.persistence.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sh} decides each line at once but writes in windows (group commit), and prints a window's
 * output only once its events are durable.
 */
@DisplayName("sh: group commit, output only once durable")
class ShGroupCommitTest {

    /** A ledger that counts its writes, and can be made to fail them. */
    static final class Counting extends ForwardingLedger {
        final InMemoryLedger inner;
        final List<Integer> windows = new ArrayList<>();
        boolean fail;

        Counting() {
            this(new InMemoryLedger());
        }

        private Counting(InMemoryLedger inner) {
            super(inner);
            this.inner = inner;
        }

        @Override
        public Outcome execute(Command command) {
            windows.add(1);
            return super.execute(command);
        }

        @Override
        public List<Outcome> executeAll(List<? extends Command> commands) {
            if (fail) {
                throw new LedgerException("disk full");
            }
            windows.add(commands.size());
            return super.executeAll(commands);
        }

        @Override
        public void close() {
        }
    }

    static int run(Counting ledger, String script, StringWriter out, StringWriter err) {
        return run(ledger, new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out, err);
    }

    static int run(Counting ledger, java.io.InputStream script, StringWriter out, StringWriter err) {
        return sh(ledger, () -> ledger.state().initialized(), "/l", script, out, err);
    }

    /** {@code sh} fed {@code script}, on {@code ledger} as the one in directory {@code dir}, which {@code exists} says is there. */
    static int sh(Ledger ledger, java.util.function.BooleanSupplier exists, String dir, java.io.InputStream script,
                  StringWriter out, StringWriter err) {
        LedgerOpener opener = new LedgerOpener() {
            @Override
            public Ledger open(Path d) {
                return ledger;
            }

            @Override
            public boolean exists(Path d) {
                return exists.getAsBoolean();
            }
        };
        return CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true), opener,
                Map.of("CGLEDGER_LEDGER", dir), script, false).execute("sh");
    }

    @Test
    @DisplayName("4,500 writes go to the ledger in windows of 2,000, and views see every earlier line")
    void windows() {
        StringBuilder script = new StringBuilder("mount -t container -o A none /H1\n");
        for (int i = 0; i < 4_499; i++) {
            script.append("mkdir /H1/g").append(i).append('\n');
            if (i == 10) {
                script.append("ls /H1/g3\n");
            }
        }
        Counting ledger = new Counting();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(run(ledger, script.toString(), out, err)).isZero();
        // the first write also initializes the ledger with the defaults: 4,501 commands
        assertThat(ledger.windows).containsExactly(2_000, 2_000, 501);
        assertThat(ledger.state().cgroups().size()).isEqualTo(1 + 1 + 4_499);
        assertThat(out.toString()).startsWith("A.limit\nA.move_charge_at_immigrate\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    @DisplayName("a refused rmdir is written with its window (its refusal is journaled) and still reported refused")
    void refusedRmdirJournaled() {
        Counting ledger = new Counting();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(ledger, "mount -t container -o A none /H1\nmkdir /H1/a\nmkdir /H1/a/b\nrmdir /H1/a\n"
                + "rmdir /nowhere/x\nmkdir /H1/c\n", out, err);
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("rmdir: /H1/a: Device or resource busy");
        // init, mount, mkdir, mkdir, the refused rmdir of /H1/a (journaled), mkdir: one window;
        // the rmdir of a path that does not exist records nothing and is not queued
        assertThat(ledger.windows).containsExactly(6);
        List<org.cgledger.core.event.Event> events = ledger.inner.journal().stream().map(r -> r.event()).toList();
        assertThat(events).filteredOn(e -> e instanceof org.cgledger.core.event.RmdirRefused).hasSize(1);
        assertThat(ledger.state().lastEvent()).isEqualTo(events.size());
    }

    /**
     * Input as a pipe gives it: chunk after chunk, with nothing available at the end of each (its
     * writer is waiting, say for the pid a fork printed); {@code seen} is what had been printed
     * by the time each later chunk was read.
     */
    static final class Pipe extends java.io.InputStream {
        final List<byte[]> chunks = new ArrayList<>();
        final List<String> seen = new ArrayList<>();
        final StringWriter out;
        int chunk;
        int at;

        Pipe(StringWriter out, String... chunks) {
            this.out = out;
            for (String c : chunks) {
                this.chunks.add(c.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (chunk < chunks.size() && at == chunks.get(chunk).length) {
                chunk++;
                at = 0;
                if (chunk < chunks.size()) {
                    seen.add(out.toString());
                }
            }
            if (chunk >= chunks.size()) {
                return -1;
            }
            byte[] c = chunks.get(chunk);
            int n = Math.min(len, c.length - at);
            System.arraycopy(c, at, b, off, n);
            at += n;
            return n;
        }

        @Override
        public int available() {
            return chunk < chunks.size() ? chunks.get(chunk).length - at : 0;
        }
    }

    @Test
    @DisplayName("input that has nothing more for now (a pipe whose writer waits): what is decided is written and printed first")
    void idleInputCommits() {
        Counting ledger = new Counting();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Pipe pipe = new Pipe(out, "mount -t container -o A none /H1\nfork 1\n", "fork 1\nmkdir /H1/a\n", "fork 1\n");
        assertThat(run(ledger, pipe, out, err)).isZero();
        // init, mount, fork; then fork, mkdir; then fork: one window each, each printed before more was read
        assertThat(ledger.windows).containsExactly(3, 2, 1);
        assertThat(pipe.seen).containsExactly("2\n", "2\n3\n");
        assertThat(out.toString()).isEqualTo("2\n3\n4\n");
    }

    @Test
    @DisplayName("input that has nothing more for now: the output of lines that wrote nothing (a view, a refusal, "
            + "echo) is printed before more is read, as a write's is")
    void idleInputPrintsLinesThatWroteNothing() {
        Counting ledger = new Counting();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Pipe pipe = new Pipe(out, "mount -t container -o A none /H1\n", "echo first\n", "cat /H1/tasks\n",
                "rmdir /H1/nope\nls\n", "echo last\n");
        assertThat(run(ledger, pipe, out, err)).isEqualTo(1);
        assertThat(pipe.seen).containsExactly("", "first\n", "first\n1\n", "first\n1\nH1\n");
        assertThat(out.toString()).isEqualTo("first\n1\nH1\nlast\n");
        assertThat(err.toString()).startsWith("rmdir: /H1/nope: No such file or directory");
        // (an rmdir refused for a path that does not exist records nothing)
        assertThat(ledger.windows).containsExactly(2);
    }

    @Test
    @DisplayName("a window the ledger could not write prints nothing of its lines, and exits 3")
    void failedWindowAcknowledgesNothing() {
        Counting ledger = new Counting();
        ledger.fail = true;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(ledger, "mount -t container -o A none /H1\necho made it\nmkdir /H1/x\nrmdir /H1\n", out, err);
        assertThat(code).isEqualTo(3);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("disk full").doesNotContain("rmdir")
                .contains("(sh: lines 1-4, whose output was not printed; every line before was recorded)");
    }

    /**
     * Runs {@code script} with sh on a ledger at {@code dir} (mounted /H1 and /H2 first) whose
     * journal refuses H1's rows, each stream's rows written in a transaction of their own (the
     * plugin batches the rows of streams written at once, and a batch fails whole); the exit code,
     * and sh's stdout and stderr.
     */
    private static Harness.Run withH1Refused(Path dir, String script) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String setup = "mount -t container -o A none /H1\nmount -t container -o B none /H2\n";
        assertThat(CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true), Main.PRODUCTION,
                Map.of("CGLEDGER_LEDGER", dir.toString()), new ByteArrayInputStream(setup.getBytes(StandardCharsets.UTF_8)),
                false).execute("sh")).as(err.toString()).isZero();
        String url = "jdbc:h2:file:" + dir.toRealPath().resolve("journal");
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TRIGGER H1_FULL BEFORE INSERT ON PUBLIC.\"event_journal\" FOR EACH ROW CALL '"
                    + HierarchyOneFull.class.getName() + "'");
        }
        StringWriter scriptOut = new StringWriter();
        StringWriter scriptErr = new StringWriter();
        int code;
        try {
            System.setProperty("jdbc-journal.batchSize", "1");
            ConfigFactory.invalidateCaches();
            code = CgLedger.createCommandLine(new PrintWriter(scriptOut, true), new PrintWriter(scriptErr, true),
                    Main.PRODUCTION, Map.of("CGLEDGER_LEDGER", dir.toString()),
                    new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), false).execute("sh");
        } finally {
            System.clearProperty("jdbc-journal.batchSize");
            ConfigFactory.invalidateCaches();
            try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
                st.executeUpdate("DROP TRIGGER H1_FULL");
            }
        }
        return new Harness.Run(code, scriptOut.toString(), scriptErr.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # the mkdirs in H2's stream and the fork (the system's) are written, H1's is not, and what
            # H2's stream wrote after that gap is cut when the ledger opens next
            whole lines | mkdir /H2/x;fork 1;mkdir /H1/lost;mkdir /H2/later | lines 1-4 was not printed; lines 1-2 were recorded, lines 3-4 were not | /H2/x | /H1/lost /H2/later
            a line of several commands | fork 1;mkdir /H2/x /H1/lost;mkdir /H2/y | lines 1-3 was not printed; line 1 was recorded, line 2 was partly recorded (see 'log'), line 3 was not | /H2/x | /H1/lost /H2/y
            a reader line writes what waits | mkdir /H2/x;fork 1;mkdir /H1/lost;mkdir /H2/y;log | lines 1-5 was not printed; lines 1-2 were recorded, lines 3-5 were not | /H2/x | /H1/lost /H2/y
            """)
    @DisplayName("a window written in some streams and not others says which of its lines were recorded, and they are")
    void windowPartlyWritten(String name, String script, String said, String kept, String lost, @TempDir Path dir)
            throws Exception {
        Harness.Run r = withH1Refused(dir, script.replace(';', '\n') + "\n");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("No space left on device; its events from #")
                .endsWith("(sh: the output of " + said + ")\n");
        try (Ledger l = Main.PRODUCTION.open(dir)) {
            State s = l.state();
            for (String p : kept.split(" ")) {
                assertThat(Paths.find(s, p).isOk()).as(p).isTrue();
            }
            for (String p : lost.split(" ")) {
                assertThat(Paths.find(s, p).isOk()).as(p).isFalse();
            }
            assertThat(s.tasks().size()).as("init and the fork").isEqualTo(2);
        }
    }

    @Test
    @DisplayName("on a durable ledger, each window's events are flushed to the disk (fsync) before its output is printed")
    void windowFlushedBeforePrinted(@TempDir Path dir) {
        StringBuilder script = new StringBuilder("mount -t container -o A none /H1\necho first\n");
        for (int i = 0; i < 2_500; i++) {
            script.append("mkdir /H1/g").append(i).append('\n');
        }
        script.append("echo second\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // per window: how many flushes the ledger had made, and what was printed, as its write returned
        List<Long> flushes = new ArrayList<>();
        List<String> printed = new ArrayList<>();
        int code;
        try (DurableLedger durable = DurableLedger.open(dir)) {
            Ledger ledger = new ForwardingLedger(durable) {
                @Override
                public List<Outcome> executeAll(List<? extends Command> commands) {
                    List<Outcome> outcomes = super.executeAll(commands);
                    flushes.add(durable.syncs());
                    printed.add(out.toString());
                    return outcomes;
                }

                @Override
                public void close() {
                }
            };
            code = sh(ledger, () -> durable.state().initialized(), dir.toString(),
                    new ByteArrayInputStream(script.toString().getBytes(StandardCharsets.UTF_8)), out, err);
        }
        assertThat(code).as(err.toString()).isZero();
        assertThat(flushes).containsExactly(1L, 2L);
        assertThat(printed).containsExactly("", "first\n");
        assertThat(out.toString()).isEqualTo("first\nsecond\n");
    }

    @Test
    @DisplayName("lines a reader line wrote are acknowledged then: their output is printed, and a later failed write names only the lines after")
    void readerLineWritesAWindow(@TempDir Path dir) throws Exception {
        Harness.Run r = withH1Refused(dir, "mkdir /H2/x\nlog\nmkdir /H1/lost\n");
        assertThat(r.code()).isEqualTo(3);
        // log's line for line 1's mkdir: line 1 was written before log read the journal
        assertThat(r.out()).contains("CgroupCreated").contains("x");
        assertThat(r.err()).endsWith("(sh: line 3, whose output was not printed; every line before was recorded)\n");
        try (Ledger l = Main.PRODUCTION.open(dir)) {
            assertThat(Paths.find(l.state(), "/H2/x").isOk()).isTrue();
            assertThat(Paths.find(l.state(), "/H1/lost").isOk()).isFalse();
        }
    }

    @Test
    @DisplayName("on a ledger this user may read but not write, sh's first write ends the script at its line, after "
            + "the output of the lines before it (it had been decided, and the window's output lost at its write)")
    void readOnlyLedgerEndsAtTheWrite(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(CgLedger.createCommandLine(new PrintWriter(out, true), new PrintWriter(err, true), Main.PRODUCTION,
                Map.of("CGLEDGER_LEDGER", dir.toString()), new ByteArrayInputStream(new byte[0]), false)
                .execute("mount", "-o", "A", "none", "/H1")).isZero();
        String script = "echo before\ncat /H1/tasks\nmkdir /H1/c\necho after\n";
        int code = sh(new ReadOnlyLedger(dir), () -> true, dir.toString(),
                new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out, err);
        assertThat(code).isEqualTo(3);
        assertThat(out.toString()).isEqualTo("before\n1\n");
        assertThat(err.toString()).startsWith("cgledger: ledger ").contains("this user may read the ledger but not write it")
                .endsWith(" (sh: line 3)\n");
    }

    /** An H2 trigger that refuses the rows of the first hierarchy's stream as a full disk would. */
    public static final class HierarchyOneFull implements org.h2.api.Trigger {
        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
            if ("cgledger-hierarchy-1".equals(newRow[2])) {
                throw new java.sql.SQLException("No space left on device");
            }
        }
    }
}
