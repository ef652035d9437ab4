package org.cgledger.persistence;

import java.util.Map;
import java.util.Objects;
import org.cgledger.core.event.Event;

/**
 * The payload of one journal row: a core event with what the journal adds to it.
 *
 * @param v the envelope's schema version ({@link #VERSION} when written); older versions are
 *          read by the code that knows them (none yet: this is the first)
 * @param seq the ledger-wide sequence number
 * @param time epoch milliseconds, taken by the shell
 * @param event the core event; its JSON names its type ({@code "type": "TaskAttached"}), never a class
 * @param refcounts the counters the event changed, as the writer computed them after applying it
 */
public record JournalEntry(int v, long seq, long time, Event event, Map<String, Integer> refcounts)
        implements CgledgerSerializable {

    /** The version this build writes. */
    public static final int VERSION = 1;

    public JournalEntry {
        Objects.requireNonNull(event, "event");
        refcounts = refcounts == null ? Map.of() : Map.copyOf(refcounts);
    }

    static JournalEntry of(Recorded r) {
        return new JournalEntry(VERSION, r.seq(), r.time(), r.event(), r.refcounts());
    }
}
