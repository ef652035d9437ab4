package org.cgledger.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Init;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.decide.Paths;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.Result;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.query.CgroupFiles;
import org.cgledger.core.state.State;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.InMemoryLedger;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journaling;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.Ledger;
import org.cgledger.persistence.LedgerDirectory;
import org.cgledger.persistence.LedgerException;
import org.cgledger.persistence.Outcome;
import org.cgledger.persistence.Recorded;
import org.cgledger.persistence.WriteFailed;
import org.cgledger.replay.History;
import org.cgledger.replay.Journal;
import org.cgledger.replay.TimeTravel;

/**
 * One ledger as a command (or a whole {@code sh} run) uses it: opened on first use, never created
 * by a view, created with the defaults by the first write (in a new or empty directory only). Inside {@code sh} it also holds the
 * working directory and the line being run.
 */
final class Session implements AutoCloseable {

    /** The catalog of a ledger created by its first write (DESIGN.md §5; the seed's A and B come first). */
    static final List<String> DEFAULT_SUBSYSTEMS = List.of("A", "B", "cpu", "memory", "beancounter");
    static final Init DEFAULT_INIT = new Init(DEFAULT_SUBSYSTEMS, PinPolicy.CSS, RmdirPolicy.STRICT);

    private final LedgerOpener opener;
    final Path dir;
    final boolean json;
    private Ledger ledger;
    private State lastSeen;

    /** Whether this is a throwaway {@code --in-memory} ledger (nothing to import into). */
    boolean memory;
    boolean inSh;
    String cwd = "/";
    /**
     * The group the working directory was when {@code cd} went there (null: none, as {@code /}):
     * the kernel's working directory is that directory, removed or not, never another made since
     * under the same name.
     */
    CgroupId cwdGroup;
    /**
     * The group {@code cd} found at each directory above the working directory (by path): as the
     * working directory itself, the kernel's {@code ..} climbs into those, removed or not, never
     * into another made since under the same name.
     */
    Map<String, CgroupId> cwdAncestors = Map.of();
    /** The line of the {@code sh} input being run (1-based), or 0 outside sh. */
    int line;

    /** Ctrl-C in the interactive shell: checked before every write, told after it. */
    private final LineCancel cancel;

    Session(LedgerOpener opener, Path dir, boolean json, LineCancel cancel) {
        this.opener = opener;
        this.dir = dir;
        this.json = json;
        this.cancel = cancel;
    }

    /** The model as the ledger holds it; {@link State#EMPTY} when there is no ledger yet (nothing is created). */
    State state() {
        if (!pending.isEmpty()) {
            return tentative;
        }
        if (ledger == null) {
            refuseFile();
            if (!opener.exists(dir)) {
                return State.EMPTY;
            }
            ledger = opener.open(dir);
        }
        return ledger.state();
    }

    /**
     * Refuses a ledger directory that is a file: checked as the command line started, and again
     * as the ledger is opened anew (the interactive shell, at each line, by a write or a reader):
     * one replaced by a file since had been "no ledger yet".
     */
    private void refuseFile() {
        if (!memory && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageError(dir + ": not a directory (a ledger is a directory of its own)");
        }
    }

    /**
     * The model for TAB completion, which must not wait: null when the ledger is not open yet and
     * another process holds it (a line would wait for its lock).
     *
     * @throws org.cgledger.persistence.LedgerException when the ledger cannot be opened
     */
    State stateWithoutWaiting() {
        return heldBy().isPresent() ? null : state();
    }

    /**
     * Who holds the ledger when this session has not opened it yet and another process has
     * ({@code "pid 4242, since 2024-01-01T00:00:00Z"}); empty otherwise. Takes no lock and waits for none.
     */
    Optional<String> heldBy() {
        if (!pending.isEmpty() || ledger != null || !opener.exists(dir)) {
            return Optional.empty();
        }
        return opener.heldBy(dir);
    }

    /** The model for a view: refused with ENOENT when there is no ledger yet. */
    State initializedState() {
        State s = state();
        if (!s.initialized()) {
            throw noLedger();
        }
        return s;
    }

    /** Writes {@code rows} into this session's ledger directory, which must hold no ledger yet. */
    void importInto(Iterable<Journals.Stored> rows) {
        cancel.beforeWrite();
        try {
            importNow(rows);
        } finally {
            cancel.wrote();
        }
    }

    private void importNow(Iterable<Journals.Stored> rows) {
        if (memory) {
            throw new UsageError("import writes a ledger directory: give --ledger DIR, not --in-memory");
        }
        // in sh, the lines before it may still be on their way to a new ledger there: written
        // first, they make it one, and the import is refused (it had filled the directory, and
        // those lines then failed against the imported journal)
        flush();
        List<String> others = ledger == null ? otherFiles(dir) : List.of();
        if (!others.isEmpty()) {
            throw new Refused(dir.toString(), Errno.ENOTEMPTY, "no ledger there, but other files (" + some(others)
                    + "): import needs a fresh, empty ledger directory");
        }
        if (ledger == null && LedgerDirectory.emptyJournalFile(dir)) {
            // (called a ledger, where every view calls it a file that holds no journal)
            throw new Refused(dir.toString(), Errno.EEXIST, "an empty journal.mv.db is there (it holds no journal): "
                    + "import needs a fresh, empty ledger directory; remove the file first");
        }
        if (ledger != null || opener.exists(dir) && !onlyLockFile(dir) && !opener.recordsNothing(dir)) {
            throw new Refused(dir.toString(), Errno.EEXIST, "a ledger already exists there: import needs a fresh, "
                    + "empty ledger directory");
        }
        opener.importInto(dir, rows);
    }

    /**
     * Whether {@code dir} holds a lock file and nothing else but what an import killed midway
     * leaves: no ledger, only what a process that took its lock and wrote no journal leaves.
     * Import takes the lock as any writer does.
     */
    private static boolean onlyLockFile(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).filter(name -> !name.equals(JournalRows.IMPORT_STAGING))
                    .toList().equals(List.of(DurableLedger.LOCK_FILE));
        } catch (IOException e) {
            return false;
        }
    }

    /** The names of what directory {@code dir} holds but a ledger's own files, sorted, if it holds no journal; else none. */
    private static List<String> otherFiles(Path dir) {
        if (!Files.isDirectory(dir) || Files.exists(dir.resolve(DurableLedger.H2_FILE))) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> !LedgerDirectory.ownFile(name) && !name.equals(Wire.SOCKET))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The first three of {@code names}, and how many more. */
    private static String some(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(3, names.size())))
                + (names.size() > 3 ? " and " + (names.size() - 3) + " more" : "");
    }

    /**
     * Refuses a write that would make a new ledger in a directory holding other files than a
     * ledger's own ({@link LedgerDirectory#ownFile}, the server's socket): the first write of
     * {@code --ledger .} in a project directory had put {@code journal.mv.db} and
     * {@code ledger.lock} among its files. A missing or empty directory is made a ledger, as
     * before; views never make one, and {@code import} refuses such a directory too.
     *
     * @throws UsageError naming the directory and its files (exit 2: the directory given cannot be
     *                    a new ledger, as a file given as {@code --ledger} cannot)
     */
    private void refuseForeignDirectory() {
        if (ledger != null || memory || opener.exists(dir)) {
            return;
        }
        List<String> others = otherFiles(dir);
        if (!others.isEmpty()) {
            throw new UsageError(dir + ": no ledger there, but other files (" + some(others)
                    + "): a first write makes a ledger only in a new or empty directory (give one of its own, such as "
                    + dir.resolve("ledger") + ")");
        }
    }

    /** Compacts the ledger's file; a ledger this session holds open is closed first (compacting takes the lock). */
    DurableLedger.Compaction compact() {
        if (memory) {
            throw new UsageError("compact rewrites a ledger directory: give --ledger DIR, not --in-memory");
        }
        flush();
        // a journal that records nothing (a first write killed before its first event) is no
        // ledger, as the views say (compact had rewritten it and said it compacted one)
        if (!opener.exists(dir) || ledger == null && opener.recordsNothing(dir)) {
            throw noLedger();
        }
        cancel.beforeWrite();
        try {
            close();
            return opener.compact(dir);
        } finally {
            cancel.wrote();
        }
    }

    private Refused noLedger() {
        // in a directory of other files a first write makes none (refuseForeignDirectory): the view had
        // said it would ('--ledger .' in a project: "the first write creates one", then the write refused)
        List<String> others = memory || dir == null ? List.of() : otherFiles(dir);
        if (!others.isEmpty()) {
            return new Refused(null, Errno.ENOENT, "no ledger at " + dir + ", but other files (" + some(others)
                    + "): a first write makes a ledger only in a new or empty directory");
        }
        String defaults = "subsystems " + String.join(",", DEFAULT_SUBSYSTEMS) + ", pin=css, rmdir=strict";
        if (memory) {
            // ('no ledger at (in-memory) yet' told a one-shot view nothing it could act on)
            return new Refused(null, Errno.ENOENT, "nothing in memory yet: an --in-memory ledger starts empty and "
                    + "lasts one command or one sh session; its first write creates it with " + defaults);
        }
        return new Refused(null, Errno.ENOENT, "no ledger at " + dir + " yet (the first write creates one with "
                + defaults + ")");
    }

    /**
     * The stored journal's rows, in ledger order, for a reader that walks them: from a stored
     * ledger kept encoded, each decoded as it is asked for. Deferred writes are flushed first; a
     * durable ledger this session holds open is closed, since reading takes the ledger's lock (it
     * is opened again by a later write).
     */
    List<Journals.Stored> rows() {
        List<Journals.Stored> rows = read(ReadSide::rows, opener::journal);
        if (rows.isEmpty()) {
            // a journal that records nothing (a first write killed before its first event) is no ledger, as the views say
            throw noLedger();
        }
        return rows;
    }

    /**
     * {@code question} asked of the journal's time travel: from the model snapshots of a stored
     * ledger ({@link LedgerOpener#travel}), from every record of an in-memory one.
     */
    <T> T travel(Function<TimeTravel, T> question) {
        Function<TimeTravel, T> asked = j -> {
            if (j.lastEvent() == 0) {
                // a journal that records nothing (a first write killed before its first event) is
                // no ledger, as the views say (export had written 0 events, exit 0)
                throw noLedger();
            }
            return question.apply(j);
        };
        return read(records -> asked.apply(new Journal(ReadSide.rows(records))), d -> opener.travel(d, asked));
    }

    /** Whether a reader may print as it reads ({@link LedgerOpener#printsWhileReading}). */
    boolean printsWhileReading() {
        return opener.printsWhileReading();
    }

    /** Every incarnation of {@code path}, or the cgroup {@code id}, with its history (see {@link LedgerOpener#history}). */
    List<History.Incarnation> history(String path, CgroupId id) {
        return read(records -> ReadSide.history(ReadSide.rows(records), path, id), d -> opener.history(d, path, id));
    }

    private <T> T read(Function<List<Recorded>, T> inMemory, Function<Path, T> stored) {
        flush();
        if (ledger instanceof InMemoryLedger m) {
            if (!m.state().initialized()) {
                throw noLedger();
            }
            return inMemory.apply(m.journal());
        }
        refuseFile();
        if (!opener.exists(dir)) {
            throw noLedger();
        }
        close();
        return stored.apply(dir);
    }

    /**
     * Executes {@code command}. On a ledger that is not initialized, a command other than
     * {@code init} first initializes it with the defaults, but only if the command itself would be
     * accepted: a refused first write leaves no ledger behind. Ctrl-C in the interactive shell
     * stops a line before a write ({@link LineCancel}), never during one.
     */
    Outcome execute(Command command) {
        cancel.beforeWrite();
        if (deferring) {
            return defer(command);
        }
        try {
            return executeNow(command);
        } finally {
            cancel.wrote();
        }
    }

    private Outcome executeNow(Command command) {
        State s = state();
        // opening may have waited for another process's lock: a Ctrl-C that came meanwhile stops the
        // line here, before its write (the write had been made once the lock was free)
        cancel.beforeWrite();
        if (!s.initialized()) {
            refuseForeignDirectory();
            List<Command> batch = new ArrayList<>();
            State probe = s;
            if (!(command instanceof Init)) {
                probe = ((Decision.Accepted) Decider.decide(s, DEFAULT_INIT)).state();
                batch.add(DEFAULT_INIT);
            }
            if (Decider.decide(probe, command) instanceof Decision.Rejected r) {
                return new Outcome.Refused(r.errno(), r.reason());
            }
            batch.add(command);
            open();
            List<Recorded> events = new ArrayList<>();
            Outcome last = null;
            for (Outcome o : ledger.executeAll(batch)) {
                last = o;
                if (o instanceof Outcome.Done d) {
                    events.addAll(d.events());
                }
            }
            return last instanceof Outcome.Refused ? last : new Outcome.Done(events);
        }
        return ledger.execute(command);
    }

    /** Commands decided but not yet written (deferring), and the state they lead to. */
    private final List<Command> pending = new ArrayList<>();
    /** Per pending command: the errno it was refused with (queued because its refusal is journaled), or null if accepted. */
    private final List<Errno> expected = new ArrayList<>();
    /** Per pending command: the sh line it came from. */
    private final List<Integer> pendingLines = new ArrayList<>();
    private State tentative;
    private boolean deferring;

    /**
     * Group commit for {@code sh}: from now on, commands are decided at once against the state the
     * earlier ones lead to, and written by {@link #flush} in one window.
     */
    void deferWrites() {
        deferring = true;
    }

    /** Commands waiting for {@link #flush}. */
    int pendingCount() {
        return pending.size();
    }

    private Outcome defer(Command command) {
        State s = state();
        if (ledger instanceof ReadOnlyLedger readOnly) {
            // nothing can be written: refused at its own line, as a one-shot write is (it had been
            // decided, and the refusal met only at the window's write, losing the output of the
            // window's views before and after it)
            throw readOnly.refused();
        }
        if (!s.initialized()) {
            refuseForeignDirectory();
        }
        List<Command> batch = new ArrayList<>();
        long now = System.currentTimeMillis();
        List<Recorded> records = new ArrayList<>();
        if (!s.initialized() && !(command instanceof Init)) {
            Decision.Accepted init = (Decision.Accepted) Decider.decide(s, DEFAULT_INIT);
            // the ledger's first event is the command's too, as a one-shot's answer has it (sh --json had left it out)
            records.addAll(Journaling.records(s, init, now));
            s = init.state();
            batch.add(DEFAULT_INIT);
        }
        Decision d = Decider.decide(s, command);
        if (d instanceof Decision.Rejected r) {
            if (r.records()) {
                // a refusal the ledger journals (a refused rmdir, a mkdir -p refused half-way) is written like an accepted command
                batch.add(command);
                queue(batch, r.errno());
                tentative = r.state();
                records.addAll(Journaling.records(s, r, now));
                return new Outcome.Refused(r.errno(), r.reason(), records);
            }
            return new Outcome.Refused(r.errno(), r.reason());
        }
        Decision.Accepted a = (Decision.Accepted) d;
        batch.add(command);
        queue(batch, null);
        tentative = a.state();
        records.addAll(Journaling.records(s, a, now));
        return new Outcome.Done(records);
    }

    /** Queues {@code batch}; its last command is expected refused with {@code refused}, or accepted when null. */
    private void queue(List<Command> batch, Errno refused) {
        for (int i = 0; i < batch.size(); i++) {
            pending.add(batch.get(i));
            pendingLines.add(line);
            expected.add(i == batch.size() - 1 ? refused : null);
        }
    }

    /**
     * Writes the deferred commands in one group commit and returns once they are durable. The
     * ledger decides them again, deterministically, from the same state: an answer that differs
     * from the one already given (accepted, or refused with a journaled record and its errno) is a
     * bug and fails loudly.
     */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        open();
        List<Outcome> outcomes;
        try {
            outcomes = ledger.executeAll(List.copyOf(pending));
        } catch (WriteFailed e) {
            int n = e.commandsRecorded();
            // the line of the first command not recorded, when one before it (of the same line) was
            int partly = n > 0 && n < pendingLines.size() && pendingLines.get(n).equals(pendingLines.get(n - 1))
                    ? pendingLines.get(n) : 0;
            throw new WindowLost(e, n == 0 ? 0 : partly != 0 ? partly - 1 : pendingLines.get(n - 1), partly);
        }
        for (int i = 0; i < outcomes.size(); i++) {
            Errno refused = expected.get(i);
            Outcome o = outcomes.get(i);
            if (refused == null && !(o instanceof Outcome.Done)) {
                throw new IllegalStateException("the ledger refused a deferred command it had accepted: "
                        + pending.get(i) + ": " + o);
            }
            if (refused != null && !(o instanceof Outcome.Refused r && r.errno() == refused)) {
                throw new IllegalStateException("the ledger did not refuse a deferred command with " + refused
                        + " as it had: " + pending.get(i) + ": " + o);
            }
        }
        pending.clear();
        expected.clear();
        pendingLines.clear();
        if (ledger.state().lastEvent() != tentative.lastEvent()) {
            throw new IllegalStateException("the ledger is at event #" + ledger.state().lastEvent()
                    + " after a group commit, not #" + tentative.lastEvent());
        }
        tentative = null;
    }

    /**
     * A group commit's write failed ({@link WriteFailed}): every sh line up to {@code recordedThrough}
     * is recorded (0: no line of this window is known to be), line {@code partly} in part (0: none;
     * a line of several commands, such as mkdir of several paths), the rest of the window is not
     * (or, not {@code certain}, may not be: a write timed out).
     */
    static final class WindowLost extends LedgerException {
        private static final long serialVersionUID = 1L;
        private final int recordedThrough;
        private final int partly;

        WindowLost(WriteFailed cause, int recordedThrough, int partly) {
            super(cause.getMessage(), cause);
            this.recordedThrough = recordedThrough;
            this.partly = partly;
        }

        int recordedThrough() {
            return recordedThrough;
        }

        int partly() {
            return partly;
        }

        boolean certain() {
            return ((WriteFailed) getCause()).certain();
        }
    }

    private void open() {
        if (ledger == null) {
            ledger = opener.open(dir);
        }
    }

    /** {@code path} made absolute against the working directory (inside sh); outside sh, as given. */
    String resolve(String path) {
        return resolve(path, null);
    }

    /**
     * {@link #resolve(String)}, where {@code dot} (null: ENOENT, as for any name in it) is thrown for
     * a path that is the removed working directory itself ({@code .}, {@code ./.}): the kernel still
     * finds that directory, and its mkdir answers EEXIST, its rmdir EINVAL.
     */
    String resolve(String path, Refused dot) {
        return resolve(path, dot, null);
    }

    /**
     * {@link #resolve(String, Refused)}, where {@code dotDot} (null: the directory it leads to) is
     * thrown for a path whose last component, a {@code ..} (or a {@code .} past the working
     * directory: {@code dot} then), the kernel walks from a removed directory: it still names a
     * directory, so its rmdir answers ENOTEMPTY (EINVAL for a {@code .}), its mkdir EEXIST and a
     * write to it EISDIR, whether or not the directory it leads to was removed too.
     */
    String resolve(String path, Refused dot, Refused dotDot) {
        if (!inSh || path.startsWith("/")) {
            return path;
        }
        String base = cwd;
        String rest = path;
        // the kernel walks a relative path from the working directory itself: removed, it has no
        // entries, but its .. still leads to the directory it was in (cd .. after rmdir ../b)
        boolean stayed = false;
        boolean upLast = false;
        while (!base.equals("/") && leadsWithDots(rest) && gone(base)) {
            upLast = rest.startsWith("..");
            if (upLast) {
                int slash = base.lastIndexOf('/');
                base = slash <= 0 ? "/" : base.substring(0, slash);
                stayed = false;
            } else {
                stayed = base.equals(cwd);
            }
            rest = rest.substring(upLast ? 2 : 1).replaceFirst("^/+", "");
        }
        if (rest.isEmpty() && stayed) {
            // '.' of a removed working directory names it, not a group made at its path since,
            // nor its path to make again (mkdir . had made it again)
            throw dot != null ? dot
                    : new Refused(path, Errno.ENOENT, "the working directory " + base + " was removed");
        }
        if (rest.isEmpty() && dotDot != null && path.length() > 0) {
            // a last .. (or .) walked from a removed directory: the kernel answers for that
            // component, not for the directory it leads to (rmdir .. had removed the parent)
            throw upLast ? dotDot : dot;
        }
        if (rest.isEmpty() || rest.equals(".") || rest.startsWith("./") || rest.startsWith("../") || rest.equals("..")) {
            return rest.isEmpty() ? base : join(base, rest);
        }
        if (!base.equals("/") && gone(base)) {
            // nothing is found in a removed directory, and nothing made there: by text, mkdir -p
            // had made the removed directory again
            throw new Refused(path, Errno.ENOENT, "the working directory " + base + " was removed");
        }
        return join(base, rest);
    }

    private static String join(String base, String rest) {
        return base.endsWith("/") ? base + rest : base + "/" + rest;
    }

    private static boolean leadsWithDots(String rel) {
        return rel.equals(".") || rel.equals("..") || rel.startsWith("./") || rel.startsWith("../");
    }

    /**
     * Whether the working directory is gone: the group {@code cd} went to is no longer the one at
     * its path (removed, and perhaps another made there since); without one, as {@link #removed}.
     */
    boolean cwdGone() {
        if (cwdGroup == null) {
            return !cwd.equals("/") && removed(cwd);
        }
        State s = state();
        return !(s.initialized() && Paths.find(s, cwd) instanceof Result.Ok<Paths.Found> f
                && f.value().c().id().equals(cwdGroup));
    }

    /**
     * Whether {@code dir} is removed: for the working directory, {@link #cwdGone}; for one above
     * it, whether the group cd found there is no longer the one at its path.
     */
    boolean gone(String dir) {
        if (dir.equals(cwd)) {
            return cwdGone();
        }
        CgroupId was = cwdAncestors.get(dir);
        if (was == null) {
            return removed(dir);
        }
        State s = state();
        return !(s.initialized() && Paths.find(s, dir) instanceof Result.Ok<Paths.Found> f
                && f.value().c().id().equals(was));
    }

    /** Whether the working directory {@code dir} is gone: no cgroup, nor a directory leading to a mount point. */
    boolean removed(String dir) {
        State s = state();
        // (a group found by its path first: listing one with many children for every line cost more)
        return s.initialized() && !Paths.find(s, dir).isOk()
                && CgroupFiles.list(s, dir) instanceof Result.Refused<?> r && r.errno() == Errno.ENOENT;
    }

    /**
     * Lets the ledger go until a line needs it again (the interactive shell, waiting at its
     * prompt): closes it ({@link #close}), so its lock, and a server's lease, are free meanwhile.
     * A throwaway in-memory ledger is kept.
     *
     * @throws LedgerException if closing the ledger fails
     */
    void letGo() {
        if (memory) {
            return;
        }
        try {
            close();
        } finally {
            opener.letGo();
        }
    }

    /** The model as the ledger held it when it was last closed ({@link #close}); null before. */
    State lastSeen() {
        return lastSeen;
    }

    /** Closes the ledger, if open, keeping its model for TAB completion ({@link #lastSeen}): a reader closes it too. */
    @Override
    public void close() {
        Ledger l = ledger;
        ledger = null;
        if (l != null) {
            try {
                lastSeen = l.state();
            } finally {
                l.close();
            }
        }
    }
}
