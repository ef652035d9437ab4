package org.cgledger.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.decide.Evolver;
import org.cgledger.core.state.State;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.LedgerException;
import org.cgledger.persistence.Recorded;

/**
 * A ledger's stored journal, read once and held in ledger-wide order, with time travel: the state
 * after event N is the fold of every record numbered up to N with core's {@code Evolver.evolve}.
 * Folding keeps a checkpoint (the state, which shares structure with its successors: the fold starts
 * from {@code State.EMPTY_SHARED}, whose maps copy paths, since a kept state of the in-place layout
 * would hold every later difference) every {@code every} events, so later questions fold from the nearest checkpoint instead of from the
 * start. A damaged journal fails to fold where it is damaged ({@link #apply}; the audit is the tool
 * for those).
 */
public final class Journal implements TimeTravel {

    /** Checkpoint spacing by default: 10,000 events, about the cost of one fold of that many. */
    public static final int DEFAULT_EVERY = 10_000;

    private final List<Journals.Stored> rows;
    private final int every;
    private final List<State> checkpoints = new ArrayList<>();

    public Journal(List<Journals.Stored> rows, int every) {
        this.rows = List.copyOf(rows);
        this.every = every;
        checkpoints.add(State.EMPTY_SHARED);
    }

    public Journal(List<Journals.Stored> rows) {
        this(rows, DEFAULT_EVERY);
    }

    /** Wraps bare records as a journal stored in one stream (for tests and in-memory ledgers). */
    public static Journal ofRecords(List<Recorded> records) {
        List<Journals.Stored> rows = new ArrayList<>(records.size());
        long nr = 0;
        for (Recorded r : records) {
            rows.add(new Journals.Stored(streamId(r), ++nr, r));
        }
        return new Journal(rows);
    }

    private static String streamId(Recorded r) {
        return r.stream().isDefault() ? "cgledger-system" : "cgledger-hierarchy-" + r.stream().value();
    }

    @Override
    public List<Journals.Stored> rows() {
        return rows;
    }

    @Override
    public void forEachRow(long from, long to, java.util.function.Consumer<Journals.Stored> action) {
        rows(from, to).forEach(action);
    }

    @Override
    public List<Journals.Stored> rows(long from, long to) {
        return rows.subList(indexAfter(from - 1), Math.max(indexAfter(from - 1), indexAfter(to)));
    }

    public int size() {
        return rows.size();
    }

    /** The number of the last record, 0 for an empty journal. */
    @Override
    public long lastEvent() {
        return lastEvent(rows);
    }

    /**
     * The state after {@code row}, folded on {@code s}, the state after the row before it: what every
     * reader folds the stored journal with. A row that is not the next event (one missing, or
     * recorded twice) or does not apply fails as opening the ledger fails on it, one line naming
     * the stream and the sequence number (the refcounts each row records are checked by opening the
     * ledger and by {@code audit}, not here).
     *
     * @throws LedgerException if the journal is damaged there
     */
    public static State apply(State s, Journals.Stored row) {
        Recorded r = row.record();
        if (r.seq() != s.lastEvent() + 1) {
            throw outOfSequence(row, s.lastEvent());
        }
        try {
            return Evolver.evolve(s, r.event());
        } catch (IllegalStateException e) {
            throw new LedgerException("journal damaged: stream " + row.persistenceId() + ", sequence number "
                    + row.sequenceNr() + " (event #" + r.seq() + ", " + r.event().getClass().getSimpleName()
                    + ") does not apply: " + e.getMessage(), e);
        }
    }

    /** The failure of {@code row} where it is not the event after event {@code last}: one missing, or recorded twice. */
    static LedgerException outOfSequence(Journals.Stored row, long last) {
        long seq = row.record().seq();
        long expected = last + 1;
        return new LedgerException("journal damaged: stream " + row.persistenceId() + ", sequence number "
                + row.sequenceNr() + ": event #" + seq + (seq < expected ? " is recorded twice"
                : " follows event #" + last + " (event #" + expected + (seq - expected > 1 ? " to #" + (seq - 1) : "")
                + " missing)"));
    }

    /** The number of the last of {@code rows} (in ledger order), 0 for none. */
    public static long lastEvent(List<Journals.Stored> rows) {
        return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).record().seq();
    }

    /** The index of the first record numbered above {@code n}. */
    int indexAfter(long n) {
        return indexAfter(rows, n);
    }

    /**
     * The index of the first of {@code rows} (in ledger order) numbered above {@code n}: the rows
     * up to {@code n} are the prefix before it. A binary search, so rows kept encoded are decoded
     * only at the points it looks at.
     */
    static int indexAfter(List<Journals.Stored> rows, long n) {
        int lo = 0;
        int hi = rows.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (rows.get(mid).record().seq() <= n) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The state after event {@code n}: every record numbered {@code <= n} folded with core's evolve.
     * {@code n} past the end gives the final state; 0 the empty one.
     *
     * @throws LedgerException if a record is missing or cannot apply (a damaged journal)
     */
    @Override
    public State stateAt(long n) {
        int end = indexAfter(n);
        int k = Math.min(end / every, checkpoints.size() - 1);
        State s = checkpoints.get(k);
        for (int i = k * every; i < end; i++) {
            s = apply(s, rows.get(i));
            if ((i + 1) % every == 0 && (i + 1) / every == checkpoints.size()) {
                checkpoints.add(s);
            }
        }
        return s;
    }

    /** The state after the last event. */
    public State finalState() {
        return stateAt(Long.MAX_VALUE);
    }

    /** The number of the last event recorded at or before {@code time} (0 if none). */
    @Override
    public long eventAt(Instant time) {
        return eventAt(rows, time);
    }

    /** {@link #eventAt(Instant)} of {@code rows}, in ledger order, without folding them. */
    public static long eventAt(List<Journals.Stored> rows, Instant time) {
        long t = TimeTravel.millis(time);
        long last = 0;
        for (Journals.Stored s : rows) {
            if (s.record().time() > t) {
                break;
            }
            last = s.record().seq();
        }
        return last;
    }

    /** The state as it was at {@code time}: after the last event recorded at or before it. */
    public State stateAt(Instant time) {
        return stateAt(eventAt(time));
    }

    /** The record numbered {@code n}, or null. */
    @Override
    public Recorded record(long n) {
        int i = indexAfter(n) - 1;
        return i >= 0 && rows.get(i).record().seq() == n ? rows.get(i).record() : null;
    }
}
