package org.cgledger.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.Errno;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.Ledger;
import org.cgledger.persistence.LedgerException;
import org.cgledger.persistence.Timeline;
import org.cgledger.replay.History;
import org.cgledger.replay.HistoryIndex;
import org.cgledger.replay.StoredTravel;
import org.cgledger.replay.TimeTravel;

/** The process entry point: the system's writers, the production ledger opener, the exit code. */
public final class Main {

    private Main() {
    }

    /**
     * The production ledger: the durable one, waiting for another process's lock as long as
     * {@code CGLEDGER_LOCK_TIMEOUT} says (milliseconds; 5,000 by default).
     */
    static final LedgerOpener PRODUCTION = production(false);

    /**
     * The production ledger for a process that exits once its one command has closed it: closing
     * does not wait for the actor system to finish stopping ({@link DurableLedger.Options#exitAfterClose}).
     */
    static final LedgerOpener ONE_SHOT = production(true);

    private static LedgerOpener production(boolean exitAfterClose) {
        return new LedgerOpener() {
            /** The durable ledger, keeping the history index current as it writes. */
            @Override
            public Ledger open(Path dir) {
                return open(dir, false);
            }

            /** Without the actor system, which only writing needs (0.4-0.6 s of CPU to start here). */
            @Override
            public Ledger openToRead(Path dir) {
                return open(dir, true);
            }

            private Ledger open(Path dir, boolean toRead) {
                if (DurableLedger.readOnly(dir)) {
                    // one this user may read but not write: the model of the journal's last event,
                    // as a reader folds it, under a shared lock held only while it is read (a write
                    // is refused by it, saying why)
                    return new ReadOnlyLedger(dir);
                }
                DurableLedger l = DurableLedger.open(dir, DurableLedger.Options.defaults()
                        .withLockTimeout(lockTimeout()).withActorsAtFirstWrite(toRead)
                        .withExitAfterClose(exitAfterClose));
                l.addFollower(HistoryIndex::follower);
                return l;
            }

            @Override
            public Optional<String> heldBy(Path dir) {
                return DurableLedger.heldBy(dir);
            }

            @Override
            public boolean recordsNothing(Path dir) {
                DurableLedger.Options options = DurableLedger.Options.defaults();
                if (options.journalUrl() != null) {
                    // the journal on the server is the ledger, whatever the directory holds but an H2
                    // journal that records events (a server that does not answer says why: it had been
                    // 'a ledger already exists'); one that records none is no ledger, as without a
                    // server (it had been refused as one, whatever it held)
                    return JournalRows.recordsNothing(dir, lockTimeout())
                            && !DurableLedger.serverJournalHoldsEvents(options);
                }
                return JournalRows.recordsNothing(dir, lockTimeout());
            }

            @Override
            public boolean exists(Path dir) {
                Path file = dir.resolve(DurableLedger.H2_FILE);
                if (Files.exists(file)) {
                    return true;
                }
                if (!Files.notExists(file) && Files.isDirectory(dir)) {
                    // a directory this user cannot search (another's, mode 700) may hold one: opening
                    // it says why not (Permission denied), where every command had said there was no
                    // ledger yet (ENOENT), and a write the empty model refuses why it refused it
                    return true;
                }
                // a ledger whose journal is on a database server keeps only its lock file in the
                // directory; with none configured, a directory without the H2 file holds no ledger
                // (a view of '--ledger .' in a project directory created one there)
                DurableLedger.Options options = DurableLedger.Options.defaults();
                if (options.journalUrl() == null) {
                    return false;
                }
                try {
                    return LedgerOpener.super.exists(dir)
                            // its directory lost (a new host, a cleaned /tmp): the journal there is the ledger
                            || DurableLedger.serverJournalHoldsEvents(options);
                } catch (LedgerException e) {
                    // a server that cannot be asked: opening it says why, as on a ledger known to exist
                    // (this ran before a command's own handling, and its failure escaped as a trace)
                    return true;
                }
            }

            /** Plain JDBC on the journal (no actor system), where the writers keep it: the H2 file or a server. */
            @Override
            public List<Journals.Stored> journal(Path dir) {
                try (JournalRows rows = readerRows(dir)) {
                    // kept encoded: a reader walks them in order, decoding each as it goes
                    return rows.readAllEncoded();
                }
            }

            /** From the model snapshots in the journal's database, reading only the rows after the nearest one. */
            @Override
            public <T> T travel(Path dir, Function<TimeTravel, T> question) {
                try (JournalRows rows = readerRows(dir)) {
                    return question.apply(new StoredTravel(rows));
                }
            }

            /**
             * Through the history index (in the H2 file, or one of its own beside a journal on a
             * server), (re)built first if the journal grew.
             */
            @Override
            public List<History.Incarnation> history(Path dir, String path, CgroupId id) {
                try (JournalRows rows = readerRows(dir)) {
                    Timeline.mark("journal open");
                    return Main.history(rows, path, id);
                }
            }

            /** Where the writers keep the journal: the H2 file, or the server the configuration names. */
            @Override
            public void importInto(Path dir, Iterable<Journals.Stored> rows) {
                DurableLedger.Options options = DurableLedger.Options.defaults();
                if (options.journalUrl() != null && DurableLedger.serverJournalHoldsEvents(options)) {
                    // (a directory holding only a lock file is taken for no ledger: its journal may be there)
                    throw new Refused(dir.toString(), Errno.EEXIST, "a ledger already exists there (its journal on "
                            + DurableLedger.shownUrl(options.journalUrl()) + "): import needs a fresh, empty ledger directory and journal");
                }
                JournalRows.importInto(dir, rows, lockTimeout());
            }

            @Override
            public DurableLedger.Compaction compact(Path dir) {
                return DurableLedger.compact(dir, lockTimeout());
            }
        };
    }

    /**
     * The journal of the ledger in {@code dir} for a reader, whole: a crash's torn tail (events
     * after a gap, never acknowledged, {@link JournalRows#missingEvents}) is cut first, as opening
     * the ledger cuts it, so that every reader reads what every view shows (they had called the
     * journal damaged, and export had copied the tail into a file import refused, until the next
     * write opened the ledger). Damage opening refuses is refused so here.
     */
    static JournalRows readerRows(Path dir) {
        // where the writers keep the journal: the H2 file, or the server the configuration names
        DurableLedger.Options options = DurableLedger.Options.defaults().withLockTimeout(lockTimeout());
        JournalRows rows = JournalRows.open(dir, options);
        long missing;
        try {
            missing = rows.missingEvents();
            if (missing == 0) {
                return rows;
            }
        } catch (RuntimeException e) {
            rows.close();
            throw e;
        }
        rows.close();
        if (rows.readOnly()) {
            throw new LedgerException("the journal in " + dir + " ends with events after " + missing
                    + " missing ones (a crash's torn tail, never acknowledged): the next write cuts them, "
                    + "and this user cannot write the ledger");
        }
        DurableLedger.open(dir, options.withActorsAtFirstWrite(true)).close();
        return JournalRows.open(dir, options);
    }

    /** Every incarnation of {@code path}, or the cgroup {@code id}, through the history index in {@code rows}' database. */
    static List<History.Incarnation> history(JournalRows rows, String path, CgroupId id) {
        HistoryIndex.ensure(rows);
        Timeline.mark("history index current");
        if (id == null) {
            return HistoryIndex.history(rows, path);
        }
        Optional<String> at = HistoryIndex.pathOf(rows, id);
        return at.isEmpty() ? List.of() : List.of(HistoryIndex.history(rows, id, at.get()));
    }

    /** How long to wait for another process's lock: {@code CGLEDGER_LOCK_TIMEOUT} milliseconds, 5,000 by default. */
    static Duration lockTimeout() {
        return lockTimeout(System.getenv("CGLEDGER_LOCK_TIMEOUT"));
    }

    static final long MAX_LOCK_TIMEOUT = Long.MAX_VALUE / 1_000_000;

    /** {@link #lockTimeout()} for the variable's value {@code timeout} (null when unset). */
    static Duration lockTimeout(String timeout) {
        if (timeout == null || timeout.isBlank()) {
            return Duration.ofSeconds(5);
        }
        long millis;
        try {
            millis = Long.parseLong(timeout.strip());
        } catch (NumberFormatException e) {
            millis = -1;
        }
        // a wait is counted in nanoseconds: longer than 292 years does not fit
        if (millis < 0 || millis > MAX_LOCK_TIMEOUT) {
            throw new LedgerException("CGLEDGER_LOCK_TIMEOUT must be milliseconds (0 to " + MAX_LOCK_TIMEOUT
                    + "), not '" + timeout + "'");
        }
        return Duration.ofMillis(millis);
    }

    public static void main(String[] args) {
        Timeline.mark("main");
        // every write to stdout goes through one Stdout, which remembers the first that failed
        Stdout stdout = new Stdout(new FileOutputStream(FileDescriptor.out));
        System.setOut(new PrintStream(new BufferedOutputStream(stdout, 8192), true));
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        CgLedger.reportOutOfMemoryOn(err);
        if (CgLedger.undecodable(List.of(args)) != null) {
            // refused as the command line is parsed: nothing is forwarded, leased or opened first
            int code = CgLedger.createCommandLine(out, err, PRODUCTION, CgLedger.invoked(args)).execute(args);
            out.flush();
            System.exit(Stdout.exitCode(code, stdout.failure(), err));
        }
        // a ledger kept open by 'cgledger serve' runs the command there: nothing else starts here
        boolean terminal = System.console() != null;
        OptionalInt served = Client.viaServer(args, System.getenv(), terminal, stdout,
                new FileOutputStream(FileDescriptor.err));
        if (served.isPresent()) {
            Timeline.mark("served");
            System.exit(Stdout.exitCode(served.getAsInt(), stdout.failure(), err));
        }
        // a command that works on the ledger's files itself: the server keeps the ledger closed until it is done
        Client.Leases lease = Client.leases(args, System.getenv(), terminal);
        List<Class<?>> invoked = CgLedger.invoked(args);
        Path ledger = EarlyOpen.ledgerDir(invoked, args, System.getenv());
        boolean toRead = CgLedger.views().containsAll(invoked);
        // a reader of the journal (log, a view of the past...) opens no ledger, but reads the configuration too
        EarlyOpen.prepare(ledger != null ? ledger : EarlyOpen.readerDir(invoked, args, System.getenv()),
                ledger == null || toRead);
        // initialise logging (quiet: QuietLogging) before Pekko's threads do, or SLF4J prints a
        // warning about replayed calls
        org.slf4j.LoggerFactory.getLogger(Main.class);
        Timeline.mark("logging");
        // the ledger opens on another thread while picocli builds the command and parses
        // one model command (ledger is null otherwise), and the process exits after it
        LedgerOpener opener = ledger == null ? lease.opening(PRODUCTION)
                : EarlyOpen.start(ledger, ONE_SHOT, toRead);
        picocli.CommandLine cl = CgLedger.createCommandLine(out, err, opener, invoked);
        Timeline.mark("command line");
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) {
            // a reader of a large journal on a small heap: one line, not the JVM's trace
            CgLedger.outOfMemoryLine(err);
            code = CgLedger.LEDGER;
        }
        if (opener instanceof EarlyOpen early) {
            early.close();
        }
        lease.close();
        out.flush();
        code = Stdout.exitCode(code, stdout.failure(), err);
        err.flush();
        Timeline.mark("exit " + code);
        System.exit(code);
    }
}
