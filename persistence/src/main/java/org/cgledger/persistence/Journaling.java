package org.cgledger.persistence;

import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.decide.Evolver;
import org.cgledger.core.decide.Touched;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.Event;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.state.State;

/**
 * Turns a decision into journal records: sequence numbers, time, refcounts changed (what every
 * ledger records). An accepted decision records its events; a refused one, the events it records
 * despite the refusal (a refused rmdir, the groups a mkdir -p refused half-way made), usually none.
 */
public final class Journaling {

    private Journaling() {
    }

    /**
     * The records of {@code accepted}, numbered from {@code before.lastEvent() + 1} (the state
     * counts the events applied, so numbers are dense and ledger-wide) and stamped {@code time}.
     */
    public static List<Recorded> records(State before, Decision.Accepted accepted, long time) {
        return records(before, accepted.stream(), accepted.events(), accepted.trail(), time);
    }

    /**
     * The records a refusal leaves ({@link Decision.Rejected#recorded}), numbered and stamped as
     * {@link #records(State, Decision.Accepted, long)} does; empty when it records nothing.
     */
    public static List<Recorded> records(State before, Decision.Rejected rejected, long time) {
        List<State> trail = new ArrayList<>(rejected.recorded().size());
        State s = before;
        for (Event e : rejected.recorded()) {
            s = Evolver.evolve(s, e);
            trail.add(s);
        }
        return records(before, rejected.stream(), rejected.recorded(), trail, time);
    }

    /** The records of {@code events} in {@code stream}, {@code trail} holding the state after each. */
    public static List<Recorded> records(State before, HierarchyId stream, List<Event> events, List<State> trail,
            long time) {
        if (trail.size() != events.size()) {
            throw new IllegalArgumentException("one state per event");
        }
        List<Recorded> out = new ArrayList<>(events.size());
        State prev = before;
        for (int i = 0; i < events.size(); i++) {
            State next = trail.get(i);
            // a group made goes to its own hierarchy's stream, where a replay of that stream (and the
            // audit) looks for it: a mkdir -p whose .. walks into another hierarchy makes groups in two
            // (mkdir -p /H1/a/../../H2/b), and had put /H1/a in H2's stream
            HierarchyId at = events.get(i) instanceof CgroupCreated c ? c.hierarchy() : stream;
            out.add(new Recorded(next.lastEvent(), time, at, events.get(i),
                    Touched.refcounts(prev, events.get(i), next)));
            prev = next;
        }
        return out;
    }
}
