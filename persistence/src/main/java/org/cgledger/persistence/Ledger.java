package org.cgledger.persistence;

import java.util.List;
import org.cgledger.core.command.Command;
import org.cgledger.core.state.State;

/**
 * A ledger: the model and its journal. Commands are decided one at a time against the whole
 * model (as the kernel decides under its one cgroup mutex); {@link #execute} returns once the
 * command's events are durable. Not thread-safe: one owner at a time.
 */
public interface Ledger extends AutoCloseable {

    /** Decides {@code command}, records its events and returns once they are durable. */
    Outcome execute(Command command);

    /** Executes commands in order, acknowledging each once it and every earlier one are durable. */
    List<Outcome> executeAll(List<? extends Command> commands);

    /** The model after the last acknowledged command. */
    State state();

    /** Closes the journal and releases the ledger directory. */
    @Override
    void close();
}
