package org.cgledger.persistence;

import org.cgledger.core.state.State;

/**
 * What the read side keeps in the ledger's database (the history index) and brings up to date
 * from the model the writer holds, so that no reader folds the whole journal again after a write.
 * Made from the model as the ledger opened ({@link DurableLedger#addFollower}).
 */
@FunctionalInterface
public interface Follower {

    /**
     * Brings itself up to {@code now}, the model after every event {@code journal} stores. One that
     * cannot (it was not current when it started, or the journal is not what it expects) is left
     * behind: the reader rebuilds it.
     */
    void follow(JournalRows journal, State now);
}
