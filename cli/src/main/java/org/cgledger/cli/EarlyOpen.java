package org.cgledger.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.cgledger.core.model.CgroupId;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.Ledger;
import org.cgledger.persistence.LedgerDirectory;
import org.cgledger.replay.History;
import org.cgledger.replay.TimeTravel;

/**
 * Opens the ledger a one-shot command will work on while the command line is still being built:
 * the lock, the database, recovery and the actor system start on a thread of their own as soon
 * as the arguments name a command of the model ({@link CgLedger#modelCommands}) and an existing
 * ledger, and the command's own {@link #open} of that directory takes the result (or its failure,
 * the same {@code LedgerException}). A ledger opened for a command that never asks for it (a
 * usage error) is closed by {@link #close}. Every other call goes to the production opener.
 */
final class EarlyOpen implements LedgerOpener, AutoCloseable {

    private final LedgerOpener production;
    private final Path dir;
    private final CompletableFuture<Ledger> opening;
    private boolean taken;

    private EarlyOpen(LedgerOpener production, Path dir, boolean toRead) {
        this.production = production;
        this.dir = dir;
        this.opening = CompletableFuture.supplyAsync(() -> toRead ? production.openToRead(dir) : production.open(dir),
                r -> {
            Thread t = new Thread(r, "cgledger-open");
            t.setDaemon(true);
            t.start();
        });
    }

    /**
     * Starts opening the ledger in {@code dir} ({@link #ledgerDir}; null: none) if it exists (a
     * missing one is created by the command's first write, not here); {@code toRead}: for a command
     * that only reads the model ({@link LedgerOpener#openToRead}). Otherwise the production opener
     * as it is.
     */
    static LedgerOpener start(Path dir, LedgerOpener production, boolean toRead) {
        if (dir == null || !production.exists(dir)) {
            return production;
        }
        return new EarlyOpen(production, dir, toRead);
    }

    /**
     * Before logging is set up (which the actor system needs first): when there is a ledger to open
     * ({@code dir}, from {@link #ledgerDir}) or a journal to read ({@link #readerDir}), starts what
     * opening any ledger needs on a thread of its own ({@link DurableLedger#prepare}); {@code toRead}:
     * for a command that only reads, which never writes.
     */
    static void prepare(Path dir, boolean toRead) {
        if (dir != null) {
            Thread t = new Thread(() -> {
                try {
                    DurableLedger.prepare(!toRead);
                } catch (RuntimeException e) {
                    // a broken configuration: the command's own open reports it, as a ledger error
                }
            }, "cgledger-prepare");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * The ledger directory {@code args} name ({@code --ledger}, else {@code CGLEDGER_LEDGER}) when
     * they invoke one of the journal's readers ({@link ReplayCommands#all}) or a view (of the past
     * too: {@code --at-event}, {@code --at}), which read the journal where the configuration keeps it;
     * null otherwise. For {@link #prepare}: reading the configuration took a reader 0.15-0.5 s
     * here, on the thread that then waited for it.
     */
    static Path readerDir(List<Class<?>> invoked, String[] args, Map<String, String> environment) {
        if (invoked.size() != 1 || !ReplayCommands.all().contains(invoked.get(0))
                && !CgLedger.views().contains(invoked.get(0))) {
            return null;
        }
        return ledgerDir(args, environment);
    }

    /**
     * The ledger directory {@code args} name ({@code --ledger}, else {@code CGLEDGER_LEDGER}) when
     * they invoke a model command ({@code invoked}: {@link CgLedger#invoked}) and no
     * {@code --in-memory}; null otherwise.
     */
    static Path ledgerDir(List<Class<?>> invoked, String[] args, Map<String, String> environment) {
        if (invoked.size() != 1 || !CgLedger.modelCommands().contains(invoked.get(0))) {
            return null;
        }
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            if (a.equals("--at") || a.startsWith("--at=") || a.equals("--at-event") || a.startsWith("--at-event=")) {
                // a view of the past reads the journal, not the model: opened too, the ledger made it
                // wait for another process's lock twice
                return null;
            }
        }
        return ledgerDir(args, environment);
    }

    /**
     * The ledger directory {@code args} name ({@code --ledger}, else {@code CGLEDGER_LEDGER}), as the
     * operating system resolves it ({@link LedgerDirectory#resolve}, as the command's session does);
     * null for none, {@code --in-memory}, or a directory H2 cannot name ({@link LedgerDirectory#unusable}:
     * the command refuses it, and nothing may open it before).
     */
    static Path ledgerDir(String[] args, Map<String, String> environment) {
        String ledger = environment.get("CGLEDGER_LEDGER");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--in-memory")) {
                return null;
            }
            if (args[i].equals("--ledger") && i + 1 < args.length) {
                ledger = args[++i];
            } else if (args[i].startsWith("--ledger=")) {
                ledger = args[i].substring("--ledger=".length());
            }
        }
        if (ledger == null || ledger.isBlank()) {
            return null;
        }
        Path dir;
        try {
            dir = LedgerDirectory.resolve(Path.of(ledger));
        } catch (InvalidPathException e) {
            return null; // the command reports it
        }
        return LedgerDirectory.unusable(dir) == null ? dir : null;
    }

    private boolean mine(Path d) {
        return !taken && LedgerDirectory.resolve(d).equals(dir);
    }

    @Override
    public Ledger open(Path d) {
        if (!mine(d)) {
            return production.open(d);
        }
        taken = true;
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Closes the ledger opened early if the command did not take it (it holds the lock). */
    @Override
    public void close() {
        if (!taken) {
            taken = true;
            try {
                opening.join().close();
            } catch (CompletionException e) {
                // nothing was opened; the command never asked, so there is nothing to report
            }
        }
    }

    @Override
    public Path directory(Path given) {
        return production.directory(given);
    }

    @Override
    public boolean exists(Path d) {
        return production.exists(d);
    }

    /** Empty for the ledger this opens itself (its lock is this process's); else as the production opener says. */
    @Override
    public Optional<String> heldBy(Path d) {
        return mine(d) ? Optional.empty() : production.heldBy(d);
    }

    @Override
    public List<Journals.Stored> journal(Path d) {
        close();
        return production.journal(d);
    }

    @Override
    public <T> T travel(Path d, Function<TimeTravel, T> question) {
        close();
        return production.travel(d, question);
    }

    @Override
    public List<History.Incarnation> history(Path d, String path, CgroupId id) {
        close();
        return production.history(d, path, id);
    }

    @Override
    public void importInto(Path d, Iterable<Journals.Stored> rows) {
        close();
        production.importInto(d, rows);
    }

    @Override
    public DurableLedger.Compaction compact(Path d) {
        close();
        return production.compact(d);
    }
}
