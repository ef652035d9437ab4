package org.cgledger.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.cgledger.core.command.Command;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.decide.Evolver;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.State;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;

/**
 * The durable ledger: the model in memory, its journal in an embedded H2 file database inside
 * the ledger directory, one Pekko persistent actor ({@link HierarchyEntity}) per stream.
 *
 * <p>Open: lock the directory, create the schema, start from the latest model snapshot and fold
 * every stream's later events in ledger-wide order, checking each event's recorded refcounts.
 * Execute: decide against the whole model, persist the events to their one stream, reply once
 * durable. {@link #executeAll} commits in windows: commands are decided one after another, their
 * events persisted per stream with several streams in flight, and each acknowledged only once it
 * and every earlier one are durable. A crash inside a window can leave a torn tail (a later event
 * durable in one stream, an earlier one lost in another); open finds it by the ledge-wide numbers,
 * cuts every event after the first gap (none of them was acknowledged) and logs what it cut.
 */
public final class DurableLedger implements Ledger {

    /**
     * How a ledger is opened.
     *
     * @param lockTimeout how long to wait for another process to let go of the directory
     * @param snapshotEvery events between model snapshots while running; the first snapshot of every
     *                      band of this many events is kept for time travel, beside the two latest
     * @param snapshotAtClose events since the last snapshot that make close take one
     * @param windowEvents events decided before one group commit of {@link #executeAll}
     * @param writeTimeout how long one journal write may take before the ledger gives up
     * @param compactGrowth how much the H2 file must grow while the ledger is open (and at least
     *                      double) for closing to compact it; {@link Long#MAX_VALUE}: never
     * @param actorsAtFirstWrite start the actor system at the first write, not as the ledger opens:
     *                           a command that only reads the model (a view) never starts it
     * @param compactChunks how many chunks the H2 file may hold as the ledger closes before closing
     *                      compacts it: each commit adds one, freed ones stay listed for the
     *                      retention time (24 days), and opening reads every listed one's
     *                      metadata (25-30 µs each), so a ledger written by one-shot commands
     *                      opens slower and slower until compacted; {@link Long#MAX_VALUE}: never
     * @param exitAfterClose the process exits once the ledger is closed (a one-shot command): closing
     *                       starts stopping the actor system but does not wait for it to finish
     *                       (measured: 20-25 ms of a one-shot command); what it leaves running ends
     *                       with the process
     */
    public record Options(Duration lockTimeout, long snapshotEvery, long snapshotAtClose, int windowEvents,
                          Duration writeTimeout, Clock clock, boolean readSnapshots, String journalUrl,
                          String journalUser, String journalPassword, long compactGrowth, long compactChunks,
                          boolean actorsAtFirstWrite, boolean exitAfterClose) {

        /**
         * The defaults; the journal is the H2 file in the ledger directory unless configuration
         * names a server ({@code cgledger.journal.url}, or {@code CGLEDGER_JOURNAL_URL}).
         */
        public static Options defaults() {
            Config c = configuration();
            return new Options(Duration.ofSeconds(5), 100_000, 1_000, 4_096, Duration.ofSeconds(60),
                    Clock.systemUTC(), true, url(c), optional(c, "cgledger.journal.user"),
                    optional(c, "cgledger.journal.password"), 64L << 20, 4_000, false, false);
        }

        /** The configuration (Pekko's and cgledger's); one that cannot be read fails as the ledger's error. */
        static Config configuration() {
            try {
                return ConfigFactory.load();
            } catch (ConfigException e) {
                throw new LedgerException("cannot read the configuration: " + e.getMessage(), e);
            }
        }

        /** The journal's server: none when unset or empty (CGLEDGER_JOURNAL_URL= clears it, as for most tools). */
        private static String url(Config c) {
            String url = optional(c, "cgledger.journal.url");
            return url == null || url.isBlank() ? null : url;
        }

        private static String optional(Config c, String path) {
            return c.hasPath(path) ? c.getString(path) : null;
        }

        /** The journal on a database server instead of the H2 file (PostgreSQL). */
        public Options withJournal(String url, String user, String password) {
            return new Options(lockTimeout, snapshotEvery, snapshotAtClose, windowEvents, writeTimeout, clock,
                    readSnapshots, url, user, password, compactGrowth, compactChunks, actorsAtFirstWrite,
                    exitAfterClose);
        }

        JournalStore.Target target(Path dir) {
            return journalUrl == null ? JournalStore.Target.h2(dir)
                    : new JournalStore.Target(journalUrl, journalUser == null ? "" : journalUser,
                    journalPassword == null ? "" : journalPassword);
        }

        public Options withLockTimeout(Duration d) {
            return new Options(d, snapshotEvery, snapshotAtClose, windowEvents, writeTimeout, clock, readSnapshots,
                    journalUrl, journalUser, journalPassword, compactGrowth, compactChunks, actorsAtFirstWrite,
                    exitAfterClose);
        }

        /** How long a journal write may take before it fails (and the ledger with it); 60 s by default. */
        public Options withWriteTimeout(Duration d) {
            return new Options(lockTimeout, snapshotEvery, snapshotAtClose, windowEvents, d, clock, readSnapshots,
                    journalUrl, journalUser, journalPassword, compactGrowth, compactChunks, actorsAtFirstWrite,
                    exitAfterClose);
        }

        public Options withSnapshots(long every, long atClose) {
            return new Options(lockTimeout, every, atClose, windowEvents, writeTimeout, clock, readSnapshots,
                    journalUrl, journalUser, journalPassword, compactGrowth, compactChunks, actorsAtFirstWrite,
                    exitAfterClose);
        }

        public Options withWindowEvents(int events) {
            return new Options(lockTimeout, snapshotEvery, snapshotAtClose, events, writeTimeout, clock, readSnapshots,
                    journalUrl, journalUser, journalPassword, compactGrowth, compactChunks, actorsAtFirstWrite,
                    exitAfterClose);
        }

        public Options withClock(Clock c) {
            return new Options(lockTimeout, snapshotEvery, snapshotAtClose, windowEvents, writeTimeout, c, readSnapshots,
                    journalUrl, journalUser, journalPassword, compactGrowth, compactChunks, actorsAtFirstWrite,
                    exitAfterClose);
        }

        /** How much the H2 file must grow while open (and at least double) for close to compact it. */
        public Options withCompactGrowth(long bytes) {
            return new Options(lockTimeout, snapshotEvery, snapshotAtClose, windowEvents, writeTimeout, clock,
                    readSnapshots, journalUrl, journalUser, journalPassword, bytes, compactChunks, actorsAtFirstWrite,
                    exitAfterClose);
        }

        /** How many chunks the H2 file may hold as the ledger closes before closing compacts it. */
        public Options withCompactChunks(long chunks) {
            return new Options(lockTimeout, snapshotEvery, snapshotAtClose, windowEvents, writeTimeout, clock,
                    readSnapshots, journalUrl, journalUser, journalPassword, compactGrowth, chunks, actorsAtFirstWrite,
                    exitAfterClose);
        }

        /** Start the actor system at the first write: for a command that only reads the model. */
        public Options withActorsAtFirstWrite(boolean atFirstWrite) {
            return new Options(lockTimeout, snapshotEvery, snapshotAtClose, windowEvents, writeTimeout, clock,
                    readSnapshots, journalUrl, journalUser, journalPassword, compactGrowth, compactChunks, atFirstWrite,
                    exitAfterClose);
        }

        /** The process exits once the ledger is closed: see {@link Options}. */
        public Options withExitAfterClose(boolean exit) {
            return new Options(lockTimeout, snapshotEvery, snapshotAtClose, windowEvents, writeTimeout, clock,
                    readSnapshots, journalUrl, journalUser, journalPassword, compactGrowth, compactChunks,
                    actorsAtFirstWrite, exit);
        }

        /** Whether open starts from the latest snapshot (false: replay everything, for measuring). */
        public Options withReadSnapshots(boolean read) {
            return new Options(lockTimeout, snapshotEvery, snapshotAtClose, windowEvents, writeTimeout, clock, read,
                    journalUrl, journalUser, journalPassword, compactGrowth, compactChunks, actorsAtFirstWrite,
                    exitAfterClose);
        }
    }

    /** What {@link #compact} did: the file's size before and after, and how long it took. */
    public record Compaction(long bytesBefore, long bytesAfter, long millis) {
    }

    /**
     * Rewrites the H2 file of the (closed) ledger in {@code dir} with only its live pages. A ledger
     * that closes after its file has grown a lot compacts it itself ({@link Options#compactGrowth});
     * one-shot commands never do (compacting as every close did cost each up to a second), so a file
     * left by a crashed writer, say, keeps the space its commits freed until this runs. Holds the
     * ledger's lock throughout.
     *
     * @throws LedgerException if there is no ledger, H2 cannot name its directory
     *                         ({@link LedgerDirectory#of}), it is locked past {@code lockTimeout}, its
     *                         journal is on a database server, or the file cannot be rewritten (nor
     *                         given its owner, group and permissions)
     */
    public static Compaction compact(Path given, Duration lockTimeout) {
        Path dir = LedgerDirectory.of(given);
        Options options = Options.defaults();
        if (options.journalUrl() != null) {
            throw new LedgerException("the journal of " + dir + " is on a database server (" + shownUrl(options.journalUrl())
                    + "): compact it there (PostgreSQL: VACUUM)");
        }
        Path file = dir.resolve(H2_FILE);
        // (in a directory this user cannot search, neither there nor missing: the lock says why not)
        if (!Files.isRegularFile(file) && (Files.exists(file) || Files.notExists(file))) {
            throw new LedgerException("no ledger at " + dir + " (no " + H2_FILE + ")");
        }
        try (LedgerLock lock = LedgerLock.acquire(dir, lockTimeout)) {
            // a file without the journal is not compacted into an empty database (it was, 'compacted')
            JournalStore store = new JournalStore(JournalStore.Target.h2(dir));
            try {
                JournalStore.refuseEmpty(dir);
                boolean journal;
                try (Connection c = store.connect()) {
                    journal = JournalStore.hasJournal(c);
                    store.shutdown(c);
                }
                if (!journal) {
                    throw new SQLException(JournalStore.NO_JOURNAL);
                }
            } catch (SQLException e) {
                throw new LedgerException("cannot open the journal in " + dir + ": " + JournalStore.rootMessage(e), e);
            }
            return compactFile(dir);
        }
    }

    /** The H2 file of a ledger directory. */
    public static final String H2_FILE = "journal.mv.db";

    /**
     * Whether the journal on the database server {@code options} name holds events: with a journal
     * there, a ledger exists whatever its directory holds (only its lock file), and a missing
     * directory must not be taken for a new ledger, whose first write would go into that journal.
     * False when no server is configured, or its journal table is not there yet.
     *
     * @throws LedgerException when the server cannot be asked
     */
    public static boolean serverJournalHoldsEvents(Options options) {
        if (options.journalUrl() == null) {
            return false;
        }
        JournalStore.Target target = options.target(null);
        // the table in the schema the ledger creates it in and reads it from (public): one of that
        // name in another schema is not the journal (it had been taken for it, and the query of the
        // name alone then failed, or read that schema's table when the search path led there first)
        try (Connection c = DriverManager.getConnection(target.url(), target.user(), target.password());
             ResultSet tables = c.getMetaData().getTables(null, target.isH2() ? "PUBLIC" : "public",
                     "event_journal".replace("_", c.getMetaData().getSearchStringEscape() + "_"), null)) {
            if (!tables.next()) {
                return false;
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT 1 FROM PUBLIC.\"event_journal\" LIMIT 1")) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new LedgerException("cannot read the journal on " + shownUrl(options.journalUrl()) + ": "
                    + JournalStore.rootMessage(e), e);
        }
    }

    /**
     * A journal URL as a message may show it: a password given in it ({@code ?password=...},
     * {@code ;password=...}, {@code user:secret@host}) replaced by {@code ***}, since messages reach
     * terminals, logs and CI output.
     */
    public static String shownUrl(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***").replaceAll("(//[^/:@]*:)[^/@]*@", "$1***@");
    }

    /**
     * Who holds the ledger in {@code dir} when another process does ({@code "pid 4242, since ..."}):
     * what a command on it would wait for. Empty when it is free (or missing, or this process's).
     * Tries the lock once, without waiting.
     */
    public static Optional<String> heldBy(Path dir) {
        return LedgerLock.holder(dir);
    }

    /**
     * Whether this user may read the ledger in {@code given} but not write it: its lock file, or the
     * directory where one would be made, is not writable (permissions, or a read-only file system).
     * Such a ledger is read under a shared lock ({@link JournalRows#open}); opening it here, as a
     * writer does, is refused (the lock file: Permission denied).
     */
    public static boolean readOnly(Path given) {
        return LedgerLock.readOnly(LedgerDirectory.of(given));
    }

    /**
     * What a write on a ledger that {@link #readOnly} is refused with, and why it is so: the lock file
     * (or the directory) and the reason, {@code "this user may read the ledger but not write it
     * (DIR/ledger.lock: Permission denied)"}.
     */
    public static String readOnlyMessage(Path given) {
        return LedgerLock.readOnlyMessage(LedgerDirectory.of(given));
    }

    /** The lock file of a ledger directory (a ledger whose journal is on a database server has only this). */
    public static final String LOCK_FILE = LedgerLock.FILE;

    /**
     * Where {@link #compactFile} writes the compacted copy, in the ledger directory: a directory
     * only its creator may enter ({@code rwx------}), so that the copy, created with the process's
     * umask, is never readable by others before it has the journal's own permissions; a copy a
     * killed compaction left there is removed by the next compaction or open.
     */
    static final String COMPACT_STAGING = ".compact";

    /**
     * Compacts the H2 file in {@code dir}: its database closed, its lock held by the caller. The
     * database is opened and shut down first (H2 finishes what a killed writer left), then the file
     * is rewritten, to a file of its own renamed over it, with its pages <em>not</em> compressed.
     * H2's {@code SHUTDOWN COMPACT} compresses every page: on the 1,000,000-event ledger the file is
     * 2.6 times smaller so (217 against 558 MB), but every later read inflates what it reads, and
     * reading the 9 MB model snapshot, the longest step of a one-shot command, took 0.76-0.99 s
     * against 0.36-0.41 s from the uncompressed file (on a loaded machine).
     *
     * <p>The copy is given the file's owner, group and permissions before it replaces it
     * ({@link FileOwnership#carryOver}): a compaction by another user (root) had left a file of
     * its own, {@code root:root} with root's umask, which the ledger's owner could no longer
     * write ("The database is read only") and whose permissions no longer kept others out. When
     * they cannot be carried over, the file is left as it was.
     */
    private static Compaction compactFile(Path dir) {
        Path link = dir.resolve(H2_FILE);
        try {
            // a journal file that is a symbolic link (to another disk, say) is compacted where it
            // lies, its copy made beside it, and the link stays: the link had been replaced by the
            // compacted file, the file it led to left as it was
            Path file = Files.isSymbolicLink(link) ? link.toRealPath() : link;
            Path staging = compactStaging(dir, file);
            long start = System.nanoTime();
            long before = Files.size(file);
            JournalStore store = new JournalStore(JournalStore.Target.h2(dir));
            try (Connection c = store.connect(); Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            }
            // what an earlier build's compaction (H2's own .tempFile and .newFile) or this one left
            MVStoreTool.compactCleanUp(link.toString());
            JournalRows.removeTree(staging);
            // a compaction ended midway (Ctrl-C, SIGTERM to 'compact') removes its copy too: it had
            // left it, as large as the live data, until the ledger's next open
            ExitHook cleanup = ExitHook.unlessExiting("cgledger-compact-cleanup",
                    () -> JournalRows.removeStaging(staging));
            try {
                Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Path copy = staging.resolve(H2_FILE);
                try {
                    MVStore.compact(file.toString(), copy.toString(), false, null);
                } catch (org.h2.mvstore.MVStoreException | org.h2.message.DbException
                         | java.util.concurrent.CompletionException e) {
                    // a full disk, say: the ledger's failure, not a bug; the file is as it was (H2
                    // copies on a thread of its own, whose failure comes wrapped: it had been an
                    // internal error, exit 70, naming H2's classes)
                    throw new LedgerException("cannot compact the journal in " + dir + ": "
                            + JournalStore.rootMessage(e).replaceFirst("^the journal file could not be written",
                            "its compacted copy could not be written") + "; the file is left as it was", e);
                }
                FileOwnership.carryOver(file, copy, "the compacted copy");
                Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileOwnership.NotKept e) {
                throw new LedgerException("cannot compact the journal in " + dir + ": " + e.getMessage()
                        + "; the file is left as it was (compact it as its owner)", e);
            } finally {
                cleanup.remove();
                try {
                    JournalRows.removeTree(staging);
                } catch (IOException leftOver) {
                    // the next compaction, or open, removes it; the outcome to report is the compaction's
                }
            }
            return new Compaction(before, Files.size(file), (System.nanoTime() - start) / 1_000_000);
        } catch (SQLException e) {
            throw new LedgerException("cannot compact the journal in " + dir + ": " + JournalStore.rootMessage(e), e);
        } catch (IOException e) {
            throw new LedgerException("cannot compact the journal in " + dir + ": " + IoReasons.of(e), e);
        }
    }

    /**
     * Where a compaction of {@code dir}'s journal, which is {@code file} ({@code dir}'s own, or the
     * file its symbolic link leads to), writes its copy: {@link #COMPACT_STAGING} in {@code dir},
     * or beside the file the link leads to ({@code .NAME.compact}), on that file's disk.
     */
    static Path compactStaging(Path dir, Path file) {
        return file.equals(dir.resolve(H2_FILE)) ? dir.resolve(COMPACT_STAGING)
                : file.resolveSibling("." + file.getFileName() + ".compact");
    }

    /**
     * Removes the copy a compaction killed midway left, in {@code dir} or beside the file its
     * journal's link leads to (one or two stats when there is none), and the journal an import
     * killed midway left in {@link JournalRows#IMPORT_STAGING}. One another user's compaction or
     * import left may not be ours to remove, and harms nothing but the disk: the next one tries again.
     */
    private static void removeCompactionLeftover(Path dir) {
        try {
            // an import writes there only under the lock this process holds now: only the next
            // import had removed it, and a ledger a write made there instead kept it for good (as
            // large as the journal the import had written)
            JournalRows.removeTree(dir.resolve(JournalRows.IMPORT_STAGING));
        } catch (IOException ignored) {
            // the next import, or open, tries again
        }
        try {
            JournalRows.removeTree(dir.resolve(COMPACT_STAGING));
            Path link = dir.resolve(H2_FILE);
            if (Files.isSymbolicLink(link)) {
                JournalRows.removeTree(compactStaging(dir, link.toRealPath()));
            }
        } catch (IOException ignored) {
            // (a dangling link: opening says so)
        }
    }

    /** What opening found: where it started and what it folded or cut. */
    public record Recovery(long snapshotSeq, long replayed, int discarded, long millis) {
    }

    /** The JDBC URL of the H2 file in a ledger directory, with the settings the ledger runs it with. */
    public static String h2Url(Path dir) {
        return JournalStore.url(dir);
    }

    /**
     * The statement that gives an H2 database the retention time the ledger's durability rests on
     * (see the README), for a baseline measured with the same settings.
     */
    public static final String H2_RETENTION = JournalStore.H2_RETENTION;

    /** The most events recovery cuts as a torn tail; more after a gap means damage, not a crash. */
    static final int MAX_TORN_TAIL = 1 << 20;

    private final Path dir;
    private final Options options;
    private final LedgerLock lock;
    private final JournalStore store;
    /** Null until started: at open, or at the first write ({@link Options#actorsAtFirstWrite}). */
    private ActorSystem<Void> system;
    private Serialization serialization;
    private final Map<HierarchyId, ActorRef<HierarchyEntity.Command>> entities = new HashMap<>();
    /** Per entity, completed exceptionally once it has stopped: a write it was asked for failed. */
    private final Map<HierarchyId, CompletableFuture<HierarchyEntity.Appended>> stopped = new HashMap<>();
    /** The entity that starts the journal plugin while recovery runs (set by the starting thread). */
    private volatile ActorRef<HierarchyEntity.Command> warmup;
    private final Map<String, Long> streamSeq = new HashMap<>();
    private State state = State.EMPTY;
    private long lastSnapshot;
    /**
     * The latest time any event of the journal was recorded at, as far as this ledger knows it:
     * each snapshot stores it, so that time travel by time can start from the snapshot. Null when
     * not known (opened from a snapshot an earlier build stored).
     */
    private Long maxTime;
    private final List<Follower> followers = new ArrayList<>();
    private String followFailure;
    /** The last event the followers were brought up to. */
    private long followed = -1;
    private Recovery recovery;
    private String broken;
    private boolean closed;
    /** Closes the ledger if the process exits with it open ({@link #closeAtExit}); removed as it closes. */
    private ExitHook exitHook;
    /** Whether the exit hook closed the ledger (the process is exiting). */
    private boolean closedAtExit;
    /** The H2 file's size when the ledger opened; -1 for a journal on a database server. */
    private final long sizeAtOpen;
    /** What closing compacted, if it did. */
    private Compaction closeCompaction;

    /**
     * Does, on the calling thread, what opening any ledger needs and no directory decides: loads
     * the configuration and builds the journal's JSON mapping (together 0.2-0.3 s of a one-shot
     * command), and for a command that will write ({@code toWrite}) runs its write path once
     * ({@link StoredCodec#warmWrites}). A command line calls it on a thread of its own while it
     * parses its arguments; an open that comes sooner waits for what is under way (each is built
     * once).
     */
    public static void prepare(boolean toWrite) {
        Options.defaults();
        if (toWrite) {
            StoredCodec.warmWrites();
        } else {
            StoredCodec.json();
        }
    }

    public static DurableLedger open(Path dir) {
        return open(dir, Options.defaults());
    }

    /**
     * Creates the ledger directory {@code dir} and its parents if missing.
     *
     * @throws LedgerException saying why not: the JDK's exceptions carry only the path
     */
    static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            // (FileAlreadyExists names the part of the path that is a file)
            String why = e instanceof java.nio.file.FileAlreadyExistsException f
                    ? (dir.toString().equals(f.getFile()) ? "it" : "a part of it") + " exists and is not a directory"
                    : IoReasons.of(e);
            throw new LedgerException("cannot create the ledger directory " + dir + ": " + why, e);
        }
    }

    /**
     * Opens (creating if missing) the ledger in {@code given}, the directory the operating system
     * resolves it to ({@link LedgerDirectory#of}), which the lock, the H2 file and every message use.
     *
     * @throws LedgerException if H2 cannot name the directory ({@link LedgerDirectory#unusable}:
     *                         nothing is created), it is locked by another process past the timeout,
     *                         unreadable, or its journal is damaged (the message names the stream,
     *                         the sequence number and what is wrong)
     */
    public static DurableLedger open(Path given, Options options) {
        Path dir = LedgerDirectory.of(given);
        createDirectory(dir);
        LedgerLock lock = LedgerLock.acquire(dir, options.lockTimeout());
        Timeline.mark("ledger locked");
        removeCompactionLeftover(dir);
        DurableLedger ledger;
        try {
            ledger = new DurableLedger(dir, options, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        ledger.closeAtExit();
        return ledger;
    }

    /**
     * Has this ledger closed, as {@link #close} closes it, if the process exits with it open:
     * Ctrl-C or SIGTERM to a command, to {@code sh} or to a server ({@code cgledger serve} closes it
     * from its own hook as well: whichever comes first closes, the other finds it closed), or an
     * error nothing caught. H2 does not close the database at exit ({@code DB_CLOSE_ON_EXIT=FALSE}:
     * its own hook closed it under the ledger's close). The hook waits for what is under way: every
     * method that works on the database holds the ledger's monitor, as the hook does.
     *
     * @throws LedgerException if the process is exiting already (the ledger is closed at once)
     */
    private void closeAtExit() {
        exitHook = ExitHook.register("cgledger-close-at-exit", () -> {
            synchronized (this) {
                if (!closed) {
                    close();
                    closedAtExit = true;
                }
            }
        }, "the ledger in " + dir);
    }

    /**
     * Leaves closing this ledger at exit to its owner, whose own exit hook closes it once the
     * command under way is done ({@code cgledger serve}): this ledger's hook, running beside the
     * owner's, closed it under a served command at its next write (a {@code mkdir} of many paths
     * stopped midway, its client told the ledger was closed as its process exits).
     */
    public synchronized void closedAtExitByOwner() {
        if (exitHook != null) {
            exitHook.remove();
            exitHook = null;
        }
    }

    private DurableLedger(Path dir, Options options, LedgerLock lock) {
        this.dir = dir;
        this.options = options;
        this.lock = lock;
        JournalStore.Target target = options.target(dir);
        this.store = new JournalStore(target);
        // Pekko starts on a thread of its own, from here (the ledger's lock is held), while the
        // database opens and recovery reads and folds the journal with plain JDBC and Jackson: on
        // two cores that overlaps most of a one-shot command's start-up. Its journal plugin starts
        // once the schema exists (the warmup entity). A ledger opened for a command that only reads
        // starts it at its first write, if any.
        CompletableFuture<ActorSystem<Void>> creating = options.actorsAtFirstWrite() ? null
                : CompletableFuture.supplyAsync(() -> createSystem(target), r -> {
                    Thread t = new Thread(r, "cgledger-start");
                    t.setDaemon(true);
                    t.start();
                });
        // an H2 file that was there before this open is a ledger's: without its journal table it is
        // one cut short so far that H2 went back to a version before the table (or no ledger's
        // file), and creating the schema in it would start a new ledger over the old one's events
        // (a file this process cannot tell is missing, stat failing, is taken as there: creating one
        // would be moved over it)
        boolean existed = target.isH2() && !Files.notExists(dir.resolve(H2_FILE));
        try {
            if (existed) {
                JournalStore.refuseEmpty(dir);
            } else if (target.isH2()) {
                createFile(dir);
            }
            store.keepOpen();
            Timeline.mark("h2 connected");
            if (existed && !store.hasJournal()) {
                shutdownDatabase();
                throw new SQLException(JournalStore.NO_JOURNAL);
            }
            store.createSchema();
            this.sizeAtOpen = target.isH2() ? Files.size(dir.resolve(H2_FILE)) : -1;
            Timeline.mark("database open");
        } catch (SQLException | IOException e) {
            if (creating != null) {
                try {
                    stopSystem(started(creating), null);
                } catch (LedgerException ignored) {
                    // the failure to report is the database's
                }
            }
            throw new LedgerException("cannot open the journal in " + dir + ": " + (e instanceof SQLException sql
                    ? JournalStore.rootMessage(sql) : IoReasons.of((IOException) e)), e);
        }
        CompletableFuture<ActorSystem<Void>> starting = creating == null ? null : creating.thenApply(this::startPlugin);
        try {
            recover();
        } catch (RuntimeException | SQLException e) {
            try {
                if (starting != null) {
                    stopSystem(started(starting), warmup);
                }
            } catch (LedgerException ignored) {
                // the failure to report is recovery's
            }
            shutdownDatabase();
            if (e instanceof SQLException sql) {
                throw new LedgerException("cannot read the journal in " + dir + ": " + JournalStore.rootMessage(sql),
                        sql);
            }
            throw (RuntimeException) e;
        }
        if (starting != null) {
            try {
                useSystem(started(starting));
            } catch (LedgerException e) {
                shutdownDatabase();
                throw e;
            }
        }
        Timeline.mark("ledger open");
    }

    /**
     * Creates the H2 file of a new ledger in {@code dir}, its schema in it, in {@link #COMPACT_STAGING}
     * first, and moves it into place whole. H2 creating it in place left, to a first write killed
     * before the schema was committed, an empty file or one without the journal's table, which is
     * what a file cut short past the table looks like: every later command, the next write
     * included, refused it as damaged (exit 3), where a first write killed is no ledger. What a
     * creation killed midway leaves in the staging directory is removed as the ledger next opens.
     */
    private static void createFile(Path dir) throws SQLException, IOException {
        Path file = dir.resolve(H2_FILE);
        // a link to a file not made yet (on another disk, say): made where it leads, as H2 made it
        // through the link, staged beside it as a compaction's copy is, and the link stays
        Path where = file;
        for (int links = 0; Files.isSymbolicLink(where); links++) {
            if (links == 40) {
                throw new IOException(file + ": Too many levels of symbolic links");
            }
            // followed to the end of a chain of links, as H2 creating it through them did
            where = where.resolveSibling(Files.readSymbolicLink(where));
        }
        Path staging = compactStaging(dir, where);
        JournalRows.removeTree(staging);
        Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            // the URL as the ledger's, its directory the staging one (url() checks the ledger's path)
            JournalStore fresh = new JournalStore("jdbc:h2:file:" + staging.resolve("journal") + JournalStore.H2_SETTINGS);
            try {
                fresh.keepOpen();
                fresh.createSchema();
            } catch (SQLException | RuntimeException e) {
                try {
                    // closed before its directory is removed (H2, left open, wrote its trace log
                    // there again after a full disk)
                    fresh.shutdown();
                } catch (SQLException | RuntimeException ignored) {
                    // the failure to report is the creation's
                }
                throw e;
            }
            fresh.shutdown();
            // put in place only where nothing is (link(2) refuses an existing name, where rename(2)
            // would replace a journal that appeared meanwhile); a file system without hard links
            // gets the rename
            try {
                Files.createLink(where, staging.resolve(H2_FILE));
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
                if (noLinks instanceof java.nio.file.FileAlreadyExistsException exists) {
                    throw exists;
                }
                Files.move(staging.resolve(H2_FILE), where, StandardCopyOption.ATOMIC_MOVE);
            }
            // the new file's name on the disk too, before the first write is answered
            LedgerDirectory.sync(where.toAbsolutePath().getParent());
        } finally {
            JournalRows.removeTree(staging);
        }
    }

    /** The actor system, configured for the journal plugin on the ledger's database (not started yet). */
    private static ActorSystem<Void> createSystem(JournalStore.Target target) {
        String slick = "pekko-persistence-jdbc.shared-databases.slick.";
        Config config = Options.configuration()
                .withValue(slick + "profile", ConfigValueFactory.fromAnyRef(target.slickProfile()))
                .withValue(slick + "db.url", ConfigValueFactory.fromAnyRef(target.url()))
                .withValue(slick + "db.user", ConfigValueFactory.fromAnyRef(target.user()))
                .withValue(slick + "db.password", ConfigValueFactory.fromAnyRef(target.password()))
                .withValue(slick + "db.driver", ConfigValueFactory.fromAnyRef(target.driver()));
        if (!target.isH2()) {
            // the plugin's tables in the schema the ledger creates them in and reads them from: by
            // their bare names it followed the connection's search path, which may lead first to a
            // schema of the role's name or one the URL names (currentSchema), and writes would go
            // there while every reader reads public
            for (String table : List.of("jdbc-journal.tables.event_journal", "jdbc-journal.tables.event_tag",
                    "jdbc-snapshot-store.tables.snapshot", "jdbc-read-journal.tables.event_journal",
                    "jdbc-read-journal.tables.event_tag")) {
                config = config.withValue(table + ".schemaName", ConfigValueFactory.fromAnyRef("public"));
            }
        }
        return ActorSystem.create(Behaviors.empty(), "cgledger", config);
    }

    /**
     * Starts the journal plugin (Slick and its pool) through the warmup entity, which touches no
     * stream: no stream's actor starts before recovery, which may cut a torn tail under it.
     */
    private ActorSystem<Void> startPlugin(ActorSystem<Void> s) {
        warmup = s.systemActorOf(HierarchyEntity.warmup(), HierarchyEntity.WARMUP, Props.empty());
        Timeline.mark("actor system started");
        return s;
    }

    private void useSystem(ActorSystem<Void> s) {
        this.system = s;
        this.serialization = SerializationExtension.get(s);
    }

    /** Whether the actor system runs (for tests: a ledger opened to read starts it at its first write). */
    boolean actorsStarted() {
        return system != null;
    }

    /** The actor system, started now if the ledger was opened without it ({@link Options#actorsAtFirstWrite}). */
    private ActorSystem<Void> actors() {
        if (system == null) {
            try {
                useSystem(startPlugin(createSystem(options.target(dir))));
            } catch (RuntimeException e) {
                throw new LedgerException("cannot start the actor system: " + JournalStore.rootMessage(e), e);
            }
        }
        return system;
    }

    private static ActorSystem<Void> started(CompletableFuture<ActorSystem<Void>> starting) {
        try {
            return starting.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted while starting the actor system", e);
        } catch (ExecutionException e) {
            throw new LedgerException("cannot start the actor system: " + JournalStore.rootMessage(e), e.getCause());
        }
    }

    // ---- recovery ---------------------------------------------------------------------------

    /**
     * Rebuilds the model: from the latest snapshot and the events after it, or from the first
     * event when that snapshot cannot be decoded (damaged in the file: a snapshot only spares the
     * replay, the journal holds every event). The ledger then stores a good one as it closes.
     */
    private void recover() throws SQLException {
        long start = System.nanoTime();
        JournalStore.Latest snapshot = null;
        if (options.readSnapshots()) {
            try {
                snapshot = store.latestForOpen();
            } catch (JournalStore.SnapshotUndecodable e) {
                // (it had made the ledger unusable, its journal whole)
                snapshot = null;
                replaceSnapshot = true;
            }
        }
        try {
            recover(snapshot, start);
        } catch (JournalStore.SnapshotUndecodable e) {
            if (snapshot == null) {
                throw e;
            }
            streamSeq.clear();
            recover(null, start);
            replaceSnapshot = true;
        }
    }

    /**
     * The latest snapshot did not decode: closing stores one whatever the events since (time travel
     * still meets the damaged one until a good one is stored at or after its event).
     */
    private boolean replaceSnapshot;

    private void recover(JournalStore.Latest snapshot, long start) throws SQLException {
        Map<String, Long> from = snapshot == null ? Map.of() : snapshot.streams();
        Timeline.mark("snapshot read");
        Map<String, Long> highest = store.streams();
        Map<String, Long> after = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : highest.entrySet()) {
            String pid = e.getKey();
            if (Journals.streamOf(pid) == null) {
                continue;
            }
            long a = from.getOrDefault(pid, 0L);
            if (e.getValue() < a) {
                throw new LedgerException("journal damaged: stream " + pid + " ends at sequence number "
                        + e.getValue() + ", before the snapshot at event #" + snapshot.seq() + " (" + a + ")");
            }
            after.put(pid, a);
            streamSeq.put(pid, a);
        }
        long replayed = 0;
        int discarded = 0;
        // the rows are read and decoded on another thread while the snapshot decodes and they fold
        try (RecoveryFeed feed = new RecoveryFeed(store, after, RecoveryFeed.PAGE)) {
            State s = snapshot == null ? State.EMPTY : snapshot.state();
            maxTime = snapshot == null ? Long.valueOf(Long.MIN_VALUE) : snapshot.maxTime();
            Timeline.mark("snapshot decoded");
            for (JournalStore.Row row; (row = feed.next()) != null; ) {
                long expected = s.lastEvent() + 1;
                if (row.entry().seq() > expected) {
                    feed.close();
                    discarded = cutTornTail(highest, row, expected - 1);
                    break;
                }
                if (row.entry().seq() < expected) {
                    throw new LedgerException("journal damaged: stream " + row.persistenceId() + ", sequence number "
                            + row.sequenceNr() + ": event #" + row.entry().seq() + " is recorded twice");
                }
                s = apply(s, row);
                streamSeq.put(row.persistenceId(), row.sequenceNr());
                recordedAt(row.entry().time());
                replayed++;
            }
            state = s;
        }
        lastSnapshot = snapshot == null ? 0 : snapshot.seq();
        recovery = new Recovery(lastSnapshot, replayed, discarded, (System.nanoTime() - start) / 1_000_000);
        Timeline.mark("recovered (" + replayed + " events after the snapshot)");
    }

    private State apply(State s, JournalStore.Row row) {
        JournalEntry e = row.entry();
        State next;
        try {
            next = Evolver.evolve(s, e.event());
        } catch (IllegalStateException ex) {
            throw new LedgerException("journal damaged: stream " + row.persistenceId() + ", sequence number "
                    + row.sequenceNr() + " (event #" + e.seq() + ", " + e.event().getClass().getSimpleName()
                    + ") does not apply: " + ex.getMessage(), ex);
        }
        Map<String, Integer> recorded;
        try {
            recorded = e.counters();
        } catch (IllegalArgumentException ex) {
            throw new LedgerException("journal damaged: stream " + row.persistenceId() + ", sequence number "
                    + row.sequenceNr() + ": " + ex.getMessage(), ex);
        }
        for (Map.Entry<String, Integer> rc : recorded.entrySet()) {
            int actual = counter(next, rc.getKey());
            if (actual != rc.getValue()) {
                throw new LedgerException("journal damaged: stream " + row.persistenceId() + ", sequence number "
                        + row.sequenceNr() + " (event #" + e.seq() + ", " + e.event().getClass().getSimpleName()
                        + ") records refcount " + rc.getKey() + " = " + rc.getValue() + ", but replay gives "
                        + actual);
            }
        }
        return next;
    }

    /** A counter's value by name ({@code N3} or {@code A1}); 0 for one that is freed or released. */
    static int counter(State s, String name) {
        Optional<CssSetId> set = CssSetId.parse(name);
        if (set.isPresent()) {
            CssSet x = s.cssSet(set.get());
            return x == null ? 0 : x.refcount();
        }
        Optional<CssId> css = CssId.parse(name, s.catalog().subsystems());
        if (css.isEmpty()) {
            return -1;
        }
        Css c = s.css(css.get());
        return c == null ? 0 : c.refcount();
    }

    /**
     * Cuts everything after event {@code lastKept}: the tail of a group commit that a crash tore
     * (never acknowledged). Refuses when the tail is too long to be one.
     */
    private int cutTornTail(Map<String, Long> highest, JournalStore.Row first, long lastKept) throws SQLException {
        // every row not folded is cut: each stream from the one after its last folded row
        Map<String, Long> firstCut = new LinkedHashMap<>();
        long count = 0;
        for (Map.Entry<String, Long> e : highest.entrySet()) {
            Long folded = streamSeq.get(e.getKey());
            if (folded != null && e.getValue() > folded) {
                firstCut.put(e.getKey(), folded + 1);
                count += e.getValue() - folded;
            }
        }
        if (count > MAX_TORN_TAIL) {
            throw new LedgerException("journal damaged: event #" + (lastKept + 1) + " is missing and " + count
                    + " later events follow (stream " + first.persistenceId() + ", sequence number "
                    + first.sequenceNr() + " is #" + first.entry().seq() + ")");
        }
        try (Connection c = store.connect()) {
            c.setAutoCommit(false);
            for (Map.Entry<String, Long> e : firstCut.entrySet()) {
                store.cut(c, e.getKey(), e.getValue());
            }
            store.logRecovery(c, options.clock().millis(), lastKept, (int) count,
                    "torn tail after event #" + lastKept + " cut from " + firstCut);
            c.commit();
        }
        return (int) count;
    }

    // ---- commands ---------------------------------------------------------------------------

    @Override
    public synchronized Outcome execute(Command command) {
        usable();
        Decision d = Decider.decide(state, command);
        if (d instanceof Decision.Rejected r) {
            if (r.records()) {
                // the refusal is journaled (a refused rmdir, a mkdir -p refused half-way) before it is answered
                List<Recorded> records = Journaling.records(state, r, options.clock().millis());
                Map<HierarchyId, List<JournalEntry>> batch = new LinkedHashMap<>();
                add(batch, records);
                write(batch);
                state = r.state();
                snapshotIfDue(options.snapshotEvery());
                return new Outcome.Refused(r.errno(), r.reason(), records);
            }
            return new Outcome.Refused(r.errno(), r.reason());
        }
        Decision.Accepted a = (Decision.Accepted) d;
        if (a.events().isEmpty()) {
            return new Outcome.Done(List.of());
        }
        List<Recorded> records = Journaling.records(state, a, options.clock().millis());
        Map<HierarchyId, List<JournalEntry>> batch = new LinkedHashMap<>();
        add(batch, records);
        write(batch);
        state = a.state();
        snapshotIfDue(options.snapshotEvery());
        return new Outcome.Done(records);
    }

    @Override
    public synchronized List<Outcome> executeAll(List<? extends Command> commands) {
        usable();
        List<Outcome> out = new ArrayList<>(commands.size());
        // pipelined: the next window is decided while the previous one is being written; a window's
        // commands are acknowledged (returned, and the state published) only once it is durable
        Window inFlight = null;
        State tentative = state;
        long firstEvent = state.lastEvent() + 1;
        int i = 0;
        while (i < commands.size()) {
            Window w = new Window();
            long now = options.clock().millis();
            while (i < commands.size() && w.events < options.windowEvents()) {
                Decision d = Decider.decide(tentative, commands.get(i++));
                if (d instanceof Decision.Rejected r) {
                    if (r.records()) {
                        List<Recorded> records = Journaling.records(tentative, r, now);
                        add(w.batch, records);
                        tentative = r.state();
                        w.events += records.size();
                        w.add(new Outcome.Refused(r.errno(), r.reason(), records), records);
                    } else {
                        w.add(new Outcome.Refused(r.errno(), r.reason()), List.of());
                    }
                    continue;
                }
                Decision.Accepted a = (Decision.Accepted) d;
                List<Recorded> records = Journaling.records(tentative, a, now);
                add(w.batch, records);
                tentative = a.state();
                w.events += records.size();
                w.add(new Outcome.Done(records), records);
            }
            w.end = tentative;
            if (inFlight != null) {
                complete(inFlight, out);
            }
            w.writing = send(w.batch);
            inFlight = w;
        }
        if (inFlight != null) {
            complete(inFlight, out);
        }
        if (state.lastEvent() >= firstEvent) {
            // one flush for every window of the call, before any of its commands is answered
            sync(firstEvent, 0);
        }
        return out;
    }

    /** One group commit: its events per stream, its commands' outcomes, the state it leads to. */
    private static final class Window {
        final Map<HierarchyId, List<JournalEntry>> batch = new LinkedHashMap<>();
        final List<Outcome> outcomes = new ArrayList<>();
        /** Per command, the sequence number of its last event (0: it has none). */
        final List<Long> lastEvents = new ArrayList<>();
        int events;
        State end;
        Writing writing;

        void add(Outcome outcome, List<Recorded> records) {
            outcomes.add(outcome);
            lastEvents.add(records.isEmpty() ? 0L : records.get(records.size() - 1).seq());
        }
    }

    private void complete(Window w, List<Outcome> out) {
        try {
            await(w.writing, w.batch);
        } catch (WriteFailed e) {
            // the commands before this window, and this window's first ones whose every event
            // came before the first one lost, are recorded
            int kept = 0;
            while (kept < w.lastEvents.size() && w.lastEvents.get(kept) < e.firstLost()) {
                kept++;
            }
            throw e.withCommandsRecorded(out.size() + kept);
        }
        state = w.end;
        out.addAll(w.outcomes);
        snapshotIfDue(options.snapshotEvery());
    }

    /** Adds {@code records} to {@code batch}, each to its own stream's entries. */
    private static void add(Map<HierarchyId, List<JournalEntry>> batch, List<Recorded> records) {
        for (Recorded r : records) {
            batch.computeIfAbsent(r.stream(), k -> new ArrayList<>()).add(JournalEntry.of(r));
        }
    }

    /** Persists each stream's entries, all streams in flight at once; returns when all are durable. */
    private void write(Map<HierarchyId, List<JournalEntry>> batch) {
        await(send(batch), batch);
        sync(batch.values().iterator().next().get(0).seq(), -1);
        Timeline.mark("written");
    }

    /**
     * Flushes the journal's commits to the disk ({@link JournalStore#sync}) before their commands
     * are answered: committed, they survive the death of the process; flushed, a crash of the
     * machine or a power cut too. A flush that fails breaks the ledger, and its commands (from
     * event {@code firstEvent} on; {@code commands} given, as {@link WriteFailed#commandsRecorded}
     * has it) may not be recorded: the file holds them as the operating system sees it, the disk
     * perhaps not.
     */
    private void sync(long firstEvent, int commands) {
        try {
            store.sync();
        } catch (SQLException | RuntimeException e) {
            WriteFailed failed = new WriteFailed("a journal write failed: the journal file could not be flushed to "
                    + "the disk (" + JournalStore.rootMessage(e) + "); the commands of that write may not be recorded "
                    + "(once the ledger opens again, 'log' shows the last one that was)", e, firstEvent, commands,
                    false);
            broken = failed.getMessage();
            storeFailed = JournalStore.writingFailed(e);
            throw failed;
        }
    }

    /** Starts persisting each stream's entries, all streams at once. */
    private Writing send(Map<HierarchyId, List<JournalEntry>> batch) {
        Map<HierarchyId, CompletableFuture<HierarchyEntity.Appended>> streams = new LinkedHashMap<>();
        for (Map.Entry<HierarchyId, List<JournalEntry>> e : batch.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            ActorRef<HierarchyEntity.Command> ref = entity(e.getKey());
            List<JournalEntry> entries = e.getValue();
            streams.put(e.getKey(), AskPattern.<HierarchyEntity.Command, HierarchyEntity.Appended>ask(ref,
                    replyTo -> new HierarchyEntity.Append(entries, replyTo), options.writeTimeout(),
                    actors().scheduler()).toCompletableFuture().applyToEither(stopped.get(e.getKey()), a -> a));
        }
        return new Writing(streams, CompletableFuture.allOf(streams.values().toArray(new CompletableFuture[0])));
    }

    /** A write in flight: each stream's, and all of them. */
    record Writing(Map<HierarchyId, CompletableFuture<HierarchyEntity.Appended>> streams,
                           CompletableFuture<Void> all) {
    }

    /**
     * Waits until {@code writing} is durable; a failure breaks the ledger (reopen to go on). The
     * streams of one write are written side by side, each all or nothing: when some were written
     * and others not, the journal has every event before the first one lost, and later ones of the
     * streams written, which the next open cuts as a torn tail ({@link #cutTornTail}). The failure
     * says so, and from which event on ({@link WriteFailed#firstLost}).
     */
    private void await(Writing writing, Map<HierarchyId, List<JournalEntry>> batch) {
        try {
            writing.all().get(options.writeTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            WriteFailed failed = failed(writing, batch, e, this::storedInFile);
            if (failed != null) {
                // (the ledger is broken from here on: whoever holds it opens it again to write)
                broken = failed.getMessage();
                storeFailed = JournalStore.writingFailed(e) || JournalStore.writingFailed(failed);
                throw failed;
            }
            // every stream was written after all, as the wait gave up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broken = "interrupted during a journal write; the commands of that write may not be recorded "
                    + "(once the ledger opens again, 'log' shows the last one that was)";
            throw new LedgerException(broken, e);
        }
        for (Map.Entry<HierarchyId, List<JournalEntry>> e : batch.entrySet()) {
            streamSeq.merge(HierarchyEntity.name(e.getKey()), (long) e.getValue().size(), Long::sum);
            for (JournalEntry entry : e.getValue()) {
                recordedAt(entry.time());
            }
        }
    }

    /**
     * What a write that failed ({@code e}) recorded, said in its message ({@link WriteFailed}); null
     * when every stream was written after all. Each stream's outcome is read once: one still
     * running when the wait gave up, one whose ask timed out, or one whose failure cannot tell
     * whether its rows were committed (the connection lost), may yet be recorded.
     */
    static WriteFailed failed(Writing writing, Map<HierarchyId, List<JournalEntry>> batch, Exception e) {
        return failed(writing, batch, e, stream -> null);
    }

    /**
     * {@link #failed(Writing, Map, Exception)}, asking {@code stored} about each stream whose
     * commit failed as H2 wrote its file ({@link JournalStore#writingFailed}: H2's store is then
     * closed for good, and nothing more is written to the file): whether the file holds its rows
     * (true), holds none of them (false), or null if that cannot be told. One whose file holds none
     * is not recorded, for sure, rather than one that may not be.
     */
    static WriteFailed failed(Writing writing, Map<HierarchyId, List<JournalEntry>> batch, Exception e,
                              java.util.function.Function<HierarchyId, Boolean> stored) {
        long firstLost = Long.MAX_VALUE;
        long firstOfWrite = Long.MAX_VALUE;
        boolean someWritten = false;
        boolean unsure = false;
        Throwable cause = null;
        for (Map.Entry<HierarchyId, CompletableFuture<HierarchyEntity.Appended>> s : writing.streams().entrySet()) {
            long first = batch.get(s.getKey()).get(0).seq();
            firstOfWrite = Math.min(firstOfWrite, first);
            Throwable failure = outcome(s.getValue());
            if (failure == null) {
                someWritten = true;
                continue;
            }
            boolean maybe = failure == STILL_RUNNING || indeterminate(failure);
            if (maybe && failure != STILL_RUNNING && JournalStore.writingFailed(failure)
                    && Boolean.FALSE.equals(stored.apply(s.getKey()))) {
                // its commit failed as H2 wrote the file, and the file holds none of its rows: not
                // recorded (a full disk had said "may not be"; one whose rows are there still says so)
                maybe = false;
            }
            // what decides is the stream lost first: a gap there that surely stays cuts every later
            // event at the next open, whatever a stream that may yet be written does
            if (first < firstLost) {
                firstLost = first;
                unsure = maybe;
            }
            // the cause named is a definite failure's (a full disk) rather than another stream's timeout
            if (failure != STILL_RUNNING && (cause == null || !maybe)) {
                cause = failure;
            }
        }
        if (firstLost == Long.MAX_VALUE) {
            return null;
        }
        String what;
        if (unsure) {
            // a write that timed out may still end, and leave no gap to cut
            what = (!someWritten || firstLost == firstOfWrite ? "the commands of that write"
                    : "its events from #" + firstLost + " on") + " may not be recorded (a write that timed out or "
                    + "lost its connection may still have been; once the ledger opens again, 'log' shows the last "
                    + "one that was)";
        } else if (!someWritten) {
            what = "the commands of that write were not recorded (see 'log' for the last one that was)";
        } else if (firstLost == firstOfWrite) {
            what = "the commands of that write were not recorded: some of its later events were, in other "
                    + "streams, and the ledger cuts them when it opens next (once it has, 'log' shows the last one "
                    + "kept)";
        } else {
            what = "its events from #" + firstLost + " on were not recorded: the journal keeps every event up to #"
                    + (firstLost - 1) + ", and the ledger cuts the later ones other streams recorded when it "
                    + "opens next (once it has, 'log' shows the last one kept)";
        }
        String message = "a journal write failed: " + JournalStore.rootMessage(cause != null ? cause : e) + "; " + what;
        return new WriteFailed(message, e, firstLost, -1, !unsure);
    }

    /**
     * Whether the H2 file holds rows of {@code stream} past those acknowledged, once H2's store
     * failed to write it ({@link #storedInFile(JournalStore.Target, String, long)}).
     */
    private Boolean storedInFile(HierarchyId stream) {
        String name = HierarchyEntity.name(stream);
        return storedInFile(store.target(), name, streamSeq.getOrDefault(name, 0L));
    }

    /**
     * Whether the H2 file of {@code target} holds rows of stream {@code name} numbered past
     * {@code acknowledged}, read from the file itself, opened anew read-only: asked once H2's store
     * failed to write the file and closed (a commit that failed as the file was written, a full disk
     * say, may or may not have put the commit in it). Nothing writes the file then (H2's store is
     * closed, the ledger's lock keeps every other process out), so the next open finds what this
     * finds: H2 opened read-only counts a transaction committed or not from the file as an open
     * does. Null when it cannot be told: a journal on a database server, a file that cannot be
     * opened, or a database of this process still open on it (the answer would be its memory's).
     */
    static Boolean storedInFile(JournalStore.Target target, String name, long acknowledged) {
        if (!target.isH2()) {
            return null;
        }
        try (Connection c = DriverManager.getConnection(target.url() + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE",
                target.user(), target.password());
             PreparedStatement ps = c.prepareStatement("SELECT MAX(\"sequence_number\") FROM PUBLIC.\"event_journal\""
                     + " WHERE \"persistence_id\" = ?")) {
            if (!c.getMetaData().isReadOnly()) {
                // (not opened anew: a database still open in this process)
                return null;
            }
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > acknowledged;
            }
        } catch (SQLException | RuntimeException ex) {
            return null;
        }
    }

    /** What {@link #outcome} answers for a write not ended yet. */
    private static final Throwable STILL_RUNNING = new Throwable("still running", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    /** A stream's write, read once: null if it succeeded, its failure, or {@link #STILL_RUNNING}. */
    private static Throwable outcome(CompletableFuture<?> f) {
        if (!f.isDone()) {
            return STILL_RUNNING;
        }
        // done: it stays as it is
        try {
            f.getNow(null);
            return null;
        } catch (CompletionException | CancellationException e) {
            return e;
        }
    }

    /**
     * Whether a failure leaves it open whether the rows were committed: an ask that timed out (the
     * write itself goes on), or a commit that failed (a connection lost during it: the commit may
     * have reached the database before it went). A failure before the commit is certain.
     */
    static boolean indeterminate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof Transactions.CommitFailed) {
                return true;
            }
        }
        return false;
    }

    /** Notes that an event of the journal was recorded at {@code time} ({@link #maxTime}). */
    private void recordedAt(long time) {
        if (maxTime != null && time > maxTime) {
            maxTime = time;
        }
    }

    private ActorRef<HierarchyEntity.Command> entity(HierarchyId stream) {
        return entities.computeIfAbsent(stream, s -> {
            CompletableFuture<HierarchyEntity.Appended> failed = new CompletableFuture<>();
            stopped.put(s, failed);
            return actors().systemActorOf(HierarchyEntity.watched(s, failed), HierarchyEntity.name(s), Props.empty());
        });
    }

    private void snapshotIfDue(long threshold) {
        if (state.lastEvent() - lastSnapshot >= threshold && state.initialized()) {
            snapshot();
        }
    }

    /** Stores a snapshot of the model now. */
    public synchronized void snapshot() {
        usable();
        try {
            actors();
            store.saveSnapshot(StateCodec.encode(state, streamSeq), options.clock().millis(),
                    maxTime == null || maxTime == Long.MIN_VALUE ? null : maxTime, serialization, options.snapshotEvery());
            lastSnapshot = state.lastEvent();
        } catch (SQLException e) {
            throw new LedgerException("cannot store a snapshot: " + JournalStore.rootMessage(e), e);
        }
    }

    /**
     * How many times this ledger has flushed its journal file to the disk before answering
     * commands ({@link JournalStore#sync}): once per {@link #execute} that wrote, once per
     * {@link #executeAll} that wrote, whatever its windows. 0 for a journal on a database server.
     */
    public synchronized long syncs() {
        return store.syncs();
    }

    /** Whether the H2 store failed a write ({@link JournalStore#writingFailed}): closed for good, not waited on. */
    private volatile boolean storeFailed;

    private void usable() {
        if (closedAtExit) {
            // (in 'cgledger serve' the process is the server's, stopped while a client's command ran)
            throw new LedgerException("the ledger was closed as its process exits (interrupted, or a server "
                    + "stopped): what the command wrote before is kept, nothing after; see 'cgledger log'");
        }
        if (closed) {
            throw new IllegalStateException("the ledger is closed");
        }
        if (broken != null) {
            throw new LedgerException(broken);
        }
    }

    @Override
    public State state() {
        return state;
    }

    /** What opening the ledger found. */
    public Recovery recovery() {
        return recovery;
    }

    /** The torn tails recovery has cut from this ledger, oldest first. */
    public synchronized List<String> recoveries() {
        usable();
        try {
            return store.recoveries();
        } catch (SQLException e) {
            throw new LedgerException("cannot read the recovery log: " + JournalStore.rootMessage(e), e);
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (exitHook != null) {
            exitHook.remove();
        }
        try {
            if (broken == null) {
                follow();
                snapshotIfDue(replaceSnapshot ? 1 : options.snapshotAtClose());
            }
        } catch (LedgerException e) {
            // a snapshot or the history index kept current: both only spare a later open or reader
            // a longer replay, the journal holds every event. Not stored (a full disk), they are
            // what the next open or reader makes; the command that closes has not failed (it had
            // ended a view that answered with a stack trace, on a full disk)
        } finally {
            closed = true;
            // the actor system stops while the database closes: every write is durable by now (or
            // the ledger is broken and its writes are abandoned), and closing the database ends
            // the sessions of the plugin's pool too
            boolean compact = due();
            CompletableFuture<?> stopping = system == null ? null : stopping(system, warmup);
            shutdownDatabase();
            Timeline.mark("database closed");
            // a ledger whose H2 store failed a write is not waited on: closing the plugin's pooled
            // connections to the failed store spins in H2 (MVStore.registerVersionUsage) until the
            // actor system's shutdown gives up on them, 10 s later (a refused write had ended sh
            // 10 s late); its writes are abandoned, and the shutdown goes on by itself. A write
            // that timed out, or was interrupted, may still be under way: that one is waited for
            if (stopping != null && !options.exitAfterClose() && !storeFailed) {
                awaitStopped(stopping);
                Timeline.mark("actor system stopped");
            }
            try {
                if (compact) {
                    closeCompaction = compactFile(dir);
                    Timeline.mark("compacted");
                }
            } catch (LedgerException e) {
                // the ledger is closed and whole; its file stays as large as it was
            } finally {
                lock.close();
            }
            Timeline.mark("ledger closed");
        }
    }

    /**
     * Whether closing will compact the H2 file: when it has grown enough while open, by
     * {@link Options#compactGrowth} and to over twice its size at open (a long writer's file, group
     * commit or a server, keeps every chunk its commits wrote while open; a one-shot command's never
     * grows that much), or when it lists more than {@link Options#compactChunks} chunks (what many
     * one-shot commands leave). False once the ledger is closed.
     */
    public synchronized boolean compactionDue() {
        return !closed && due();
    }

    private boolean due() {
        if (sizeAtOpen < 0) {
            return false;
        }
        try {
            long size = Files.size(dir.resolve(H2_FILE));
            if (size - sizeAtOpen > options.compactGrowth() && size > 2 * sizeAtOpen) {
                return true;
            }
        } catch (IOException e) {
            return false;
        }
        return options.compactChunks() != Long.MAX_VALUE && store.chunkCount() > options.compactChunks();
    }

    /**
     * Runs {@code reader} on the stored journal of this open ledger, for the read side to run in the
     * process that holds it (a server): a connection of its own to the H2 database, no second lock,
     * closed when {@code reader} returns; the ledger does not close meanwhile (at exit neither).
     * Empty, and {@code reader} not run, for a journal on a database server, which the read side
     * reads once this ledger is closed ({@link JournalRows#open}, under the lock).
     */
    public synchronized <T> Optional<T> read(Function<JournalRows, T> reader) {
        usable();
        if (sizeAtOpen < 0) {
            return Optional.empty();
        }
        try (JournalRows rows = JournalRows.borrowed(dir, store)) {
            return Optional.of(reader.apply(rows));
        }
    }

    /**
     * Keeps a follower, made now from the model as it stands, up to date: on {@link #follow} and as
     * the ledger closes. A journal on a database server has no read-side tables: nothing is kept.
     */
    public synchronized void addFollower(Function<State, Follower> start) {
        usable();
        if (sizeAtOpen >= 0) {
            followers.add(start.apply(state));
            followed = state.lastEvent();
        }
    }

    /**
     * Brings the followers up to the model now (nothing on a closed or broken ledger). One that
     * fails is left behind, as if it could not follow (its reader rebuilds it): the events are
     * durable, and closing goes on.
     */
    public synchronized void follow() {
        // a closed or broken ledger has nothing to give: its followers stay where they are
        if (closed || broken != null || followers.isEmpty() || state.lastEvent() == followed) {
            return;
        }
        followed = state.lastEvent();
        Timeline.mark("following");
        try (JournalRows rows = JournalRows.borrowed(dir, store)) {
            for (Follower f : followers) {
                f.follow(rows, state);
            }
        } catch (RuntimeException e) {
            followFailure = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        Timeline.mark("followed");
    }

    /** Why the last {@link #follow} left a follower behind; null if none failed. */
    public String followFailure() {
        return followFailure;
    }

    /** What closing compacted; null if it did not (not due, not closed yet, or it failed). */
    public Compaction closeCompaction() {
        return closeCompaction;
    }

    /**
     * Stops the actor system. A ledger closed right after opening (a read-only command, or a
     * journal found damaged) first lets the journal plugin finish starting: terminating under it
     * fails the warmup entity, loudly.
     */
    private static void stopSystem(ActorSystem<Void> system, ActorRef<HierarchyEntity.Command> warmup) {
        awaitStopped(stopping(system, warmup));
    }

    /** Starts stopping the actor system ({@link #stopSystem}); the future completes when it has. */
    private static CompletableFuture<?> stopping(ActorSystem<Void> system, ActorRef<HierarchyEntity.Command> warmup) {
        if (warmup != null) {
            try {
                AskPattern.<HierarchyEntity.Command, HierarchyEntity.Tail>ask(warmup, HierarchyEntity.Ready::new,
                        Duration.ofSeconds(10), system.scheduler()).toCompletableFuture().get(11, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // stopping either way
            }
        }
        system.terminate();
        return system.getWhenTerminated().toCompletableFuture();
    }

    private static void awaitStopped(CompletableFuture<?> stopping) {
        try {
            stopping.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the database is closed below either way
        }
    }

    private void shutdownDatabase() {
        try {
            store.shutdown();
        } catch (SQLException e) {
            // already closed
        }
    }
}
