package org.cgledger.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Init;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.state.State;
import org.cgledger.persistence.Ledger;
import org.cgledger.persistence.Outcome;
import org.cgledger.persistence.Recorded;

/**
 * One ledger as a command (or a whole {@code sh} run) uses it: opened on first use, never created
 * by a view, created with the defaults by the first write. Inside {@code sh} it also holds the
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

    boolean inSh;
    String cwd = "/";
    /** The line of the {@code sh} input being run (1-based), or 0 outside sh. */
    int line;

    Session(LedgerOpener opener, Path dir, boolean json) {
        this.opener = opener;
        this.dir = dir;
        this.json = json;
    }

    /** The model as the ledger holds it; {@link State#EMPTY} when there is no ledger yet (nothing is created). */
    State state() {
        if (ledger == null) {
            if (!opener.exists(dir)) {
                return State.EMPTY;
            }
            ledger = opener.open(dir);
        }
        return ledger.state();
    }

    /** The model for a view: refused with ENOENT when there is no ledger yet. */
    State initializedState() {
        State s = state();
        if (!s.initialized()) {
            throw new Refused(null, Errno.ENOENT, "no ledger at " + dir + " yet (the first write creates one with "
                    + "subsystems " + String.join(",", DEFAULT_SUBSYSTEMS) + ", pin=css, rmdir=strict)");
        }
        return s;
    }

    /**
     * Executes {@code command}. On a ledger that is not initialized, a command other than
     * {@code init} first initializes it with the defaults, but only if the command itself would be
     * accepted: a refused first write leaves no ledger behind.
     */
    Outcome execute(Command command) {
        State s = state();
        if (!s.initialized()) {
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

    private void open() {
        if (ledger == null) {
            ledger = opener.open(dir);
        }
    }

    /** {@code path} made absolute against the working directory (inside sh); outside sh, as given. */
    String resolve(String path) {
        if (!inSh || path.startsWith("/")) {
            return path;
        }
        return cwd.endsWith("/") ? cwd + path : cwd + "/" + path;
    }

    @Override
    public void close() {
        Ledger l = ledger;
        ledger = null;
        if (l != null) {
            l.close();
        }
    }
}
