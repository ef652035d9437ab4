package org.cgledger.replay;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.cgledger.core.state.State;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.Recorded;

/**
 * The questions time travel asks of a journal: where it ends, the state after an event, one event's
 * record, and which event a time falls after. {@link Journal} answers them from every row held in
 * memory; {@link StoredTravel} from a stored ledger's model snapshots and the rows after them.
 */
public interface TimeTravel {

    /** The number of the last record, 0 for an empty journal. */
    long lastEvent();

    /**
     * The state after event {@code n}: every record numbered {@code <= n} folded with core's evolve.
     * {@code n} past the end gives the final state; 0 the empty one.
     *
     * @throws IllegalStateException if a record cannot apply (a damaged journal)
     */
    State stateAt(long n);

    /** The record numbered {@code n}, or null. */
    Recorded record(long n);

    /** The number of the last event recorded at or before {@code time} (0 if none). */
    long eventAt(Instant time);

    /** Every row, in ledger-wide order. */
    List<Journals.Stored> rows();

    /** The rows numbered {@code from} to {@code to}, in ledger-wide order. */
    List<Journals.Stored> rows(long from, long to);

    /**
     * Gives every row to {@code action}, in ledger-wide order, holding no more of them at a time than
     * it must (a stored ledger: the rows between two snapshots).
     */
    default void forEachRow(Consumer<Journals.Stored> action) {
        forEachRow(1, Long.MAX_VALUE, action);
    }

    /** {@link #forEachRow(Consumer)} for the rows numbered {@code from} to {@code to}. */
    void forEachRow(long from, long to, Consumer<Journals.Stored> action);

    /**
     * {@code time} in milliseconds since the epoch, the unit events are recorded in; an instant
     * beyond what a long counts (ISO-8601 reaches the year 1,000,000,000) is the farthest millisecond
     * that way, after or before every event, not an overflow.
     */
    static long millis(Instant time) {
        if (time.isAfter(Instant.ofEpochMilli(Long.MAX_VALUE))) {
            return Long.MAX_VALUE;
        }
        return time.isBefore(Instant.ofEpochMilli(Long.MIN_VALUE)) ? Long.MIN_VALUE : time.toEpochMilli();
    }
}
