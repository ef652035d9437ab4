package org.cgledger.persistence;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.command.Command;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.state.State;

/** A ledger that keeps its journal in memory: for tests and dry runs; nothing survives the process. */
public final class InMemoryLedger implements Ledger {

    private final Clock clock;
    private final List<Recorded> journal = new ArrayList<>();
    private State state = State.EMPTY;

    public InMemoryLedger(Clock clock) {
        this.clock = clock;
    }

    public InMemoryLedger() {
        this(Clock.systemUTC());
    }

    @Override
    public Outcome execute(Command command) {
        Decision d = Decider.decide(state, command);
        if (d instanceof Decision.Rejected r) {
            if (r.records()) {
                List<Recorded> records = Journaling.records(state, r, clock.millis());
                journal.addAll(records);
                state = r.state();
                return new Outcome.Refused(r.errno(), r.reason(), records);
            }
            return new Outcome.Refused(r.errno(), r.reason());
        }
        Decision.Accepted a = (Decision.Accepted) d;
        List<Recorded> records = Journaling.records(state, a, clock.millis());
        journal.addAll(records);
        state = a.state();
        return new Outcome.Done(records);
    }

    @Override
    public List<Outcome> executeAll(List<? extends Command> commands) {
        List<Outcome> out = new ArrayList<>(commands.size());
        for (Command c : commands) {
            out.add(execute(c));
        }
        return out;
    }

    @Override
    public State state() {
        return state;
    }

    /** Every record so far, in order. */
    public List<Recorded> journal() {
        return List.copyOf(journal);
    }

    @Override
    public void close() {
        // nothing to release
    }
}
