package org.cgledger.cli;

import java.nio.file.Path;
import java.util.List;
import org.cgledger.core.command.Command;
import org.cgledger.core.state.State;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Ledger;
import org.cgledger.persistence.LedgerException;
import org.cgledger.persistence.Outcome;
import org.cgledger.replay.StoredTravel;

/**
 * A ledger this user may read but not write ({@link DurableLedger#readOnly}: an auditor's read
 * access, a copy on read-only media), for the views: the model at the journal's last event, folded
 * as the read side folds it (from the nearest model snapshot), read under the ledger's shared lock,
 * which is let go once it is read. Nothing is written: a command is refused, saying why (exit 3).
 */
final class ReadOnlyLedger implements Ledger {

    private final Path dir;
    private final State state;

    ReadOnlyLedger(Path dir) {
        this.dir = dir;
        try (JournalRows rows = Main.readerRows(dir)) {
            StoredTravel travel = new StoredTravel(rows);
            this.state = travel.stateAt(travel.lastEvent());
        }
    }

    @Override
    public Outcome execute(Command command) {
        throw refused();
    }

    @Override
    public List<Outcome> executeAll(List<? extends Command> commands) {
        throw refused();
    }

    /** What a write on this ledger fails with: this user may not write it, and why. */
    LedgerException refused() {
        return new LedgerException(DurableLedger.readOnlyMessage(dir));
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public void close() {
        // nothing held: the journal was read and closed as this was made
    }
}
