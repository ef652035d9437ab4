package org.cgledger.persistence;

import java.util.Map;
import java.util.Objects;
import org.cgledger.core.event.Event;
import org.cgledger.core.model.HierarchyId;

/**
 * One event as the journal holds it.
 *
 * @param seq the ledger-wide sequence number: streams merge back into one order by it
 * @param time when the shell recorded it, epoch milliseconds (core never reads a clock)
 * @param stream the stream it belongs to ({@link HierarchyId#DEFAULT}: the system stream)
 * @param refcounts the counters it changed, as the writer computed them after applying it
 */
public record Recorded(long seq, long time, HierarchyId stream, Event event, Map<String, Integer> refcounts) {
    public Recorded {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(event, "event");
        refcounts = Map.copyOf(refcounts);
    }
}
