package org.cgledger.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.cgledger.core.model.CgroupId;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.InMemoryLedger;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.Ledger;
import org.cgledger.persistence.LedgerDirectory;
import org.cgledger.persistence.LedgerException;
import org.cgledger.replay.History;
import org.cgledger.replay.Journal;
import org.cgledger.replay.TimeTravel;

/** How the command line opens a ledger directory (the durable ledger in production, in-memory ones in tests). */
@FunctionalInterface
public interface LedgerOpener {

    /**
     * The ledger directory {@code given} names: as the operating system resolves it
     * ({@link LedgerDirectory#resolve}: a relative path from this process's working directory), the
     * one path every other call of this opener is given, and that messages name.
     */
    default Path directory(Path given) {
        return LedgerDirectory.resolve(given);
    }

    /**
     * Opens (creating if missing) the ledger in {@code dir}.
     *
     * @throws LedgerException when it is locked, unreadable or corrupt
     */
    Ledger open(Path dir);

    /**
     * Opens the ledger in {@code dir} for a command that reads the model and writes nothing (a
     * view): what only writing needs may start later, at a first write. By default, {@link #open}.
     */
    default Ledger openToRead(Path dir) {
        return open(dir);
    }

    /**
     * Who holds the ledger in {@code dir} when another process does, as the lock file says
     * ({@code "pid 4242, since ..."}); empty when it is free. Takes no lock and waits for none. By
     * default: empty.
     */
    default Optional<String> heldBy(Path dir) {
        return Optional.empty();
    }

    /** Whether a ledger already exists in {@code dir}: views never create one. By default: a non-empty directory. */
    default boolean exists(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new LedgerException("cannot read ledger directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The journal of the ledger in {@code dir} as stored, in ledger-wide order (the read side).
     * The caller holds no open ledger on {@code dir}: reading takes the ledger's lock. By default,
     * the records of the in-memory ledger {@link #open} gives.
     *
     * @throws LedgerException when it is locked, unreadable, or not a ledger this opener can read
     */
    default List<Journals.Stored> journal(Path dir) {
        Ledger l = open(dir);
        if (l instanceof InMemoryLedger m) {
            return ReadSide.rows(m.journal());
        }
        l.close();
        throw new LedgerException("cannot read the journal of " + dir);
    }

    /**
     * Whether a reader may print its answer while it reads the journal: in a process of its own
     * nothing waits for it. A server says no, as the ledger it holds meanwhile is everyone's
     * (a client slow to read held up every other command).
     */
    default boolean printsWhileReading() {
        return true;
    }

    /** {@code question} asked of the journal of the ledger in {@code dir}: by default all of it read, as {@link #journal}. */
    default <T> T travel(Path dir, Function<TimeTravel, T> question) {
        return question.apply(new Journal(journal(dir)));
    }

    /**
     * Every incarnation of {@code path} (or, given {@code id}, the one cgroup of that id) with the
     * events that touched it. By default by a full replay of {@link #journal}.
     */
    default List<History.Incarnation> history(Path dir, String path, CgroupId id) {
        return ReadSide.history(journal(dir), path, id);
    }

    /**
     * Writes {@code rows} as they are into a fresh ledger in {@code dir}, taking them one at a time
     * as it writes them ({@link org.cgledger.persistence.JournalRows#importInto}: a failure of one
     * taken fails the import as it was thrown, nothing left behind).
     *
     * @throws LedgerException if {@code dir} holds a ledger already, or this opener cannot import
     */
    default void importInto(Path dir, Iterable<Journals.Stored> rows) {
        throw new LedgerException("cannot import into " + dir + ": not a ledger directory");
    }

    /**
     * Whether the ledger directory {@code dir}, though it holds a journal, records nothing: what a
     * first write killed before it recorded its first event leaves, no ledger, which an import may
     * replace. By default: false.
     */
    default boolean recordsNothing(Path dir) {
        return false;
    }

    /**
     * The process is done with the ledger for now, its ledger closed (the interactive shell at its
     * prompt): what it holds from others for it, a server's lease, is let go. By default: nothing.
     */
    default void letGo() {
    }

    /**
     * Rewrites the closed ledger in {@code dir} with only its live data.
     *
     * @throws LedgerException if there is no such ledger, it is locked, or this opener cannot compact
     */
    default DurableLedger.Compaction compact(Path dir) {
        throw new LedgerException("cannot compact " + dir + ": not a ledger directory");
    }
}
