package org.cgledger.persistence;

import java.util.List;
import org.cgledger.core.command.Command;
import org.cgledger.core.state.State;

/** A ledger that hands every call to another one: extend it to change one of them (what {@code close} does, say). */
public abstract class ForwardingLedger implements Ledger {

    private final Ledger delegate;

    protected ForwardingLedger(Ledger delegate) {
        this.delegate = delegate;
    }

    @Override
    public Outcome execute(Command command) {
        return delegate.execute(command);
    }

    @Override
    public List<Outcome> executeAll(List<? extends Command> commands) {
        return delegate.executeAll(commands);
    }

    @Override
    public State state() {
        return delegate.state();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
