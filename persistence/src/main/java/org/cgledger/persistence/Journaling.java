package org.cgledger.persistence;

import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.decide.Touched;
import org.cgledger.core.state.State;

/** Turns an accepted decision into journal records: sequence numbers, time, refcounts changed (what every ledger records). */
public final class Journaling {

    private Journaling() {
    }

    /**
     * The records of {@code accepted}, numbered from {@code before.lastEvent() + 1} (the state
     * counts the events applied, so numbers are dense and ledger-wide) and stamped {@code time}.
     */
    public static List<Recorded> records(State before, Decision.Accepted accepted, long time) {
        List<Recorded> out = new ArrayList<>(accepted.events().size());
        State prev = before;
        for (int i = 0; i < accepted.events().size(); i++) {
            State next = accepted.trail().get(i);
            out.add(new Recorded(next.lastEvent(), time, accepted.stream(), accepted.events().get(i),
                    Touched.refcounts(prev, accepted.events().get(i), next)));
            prev = next;
        }
        return out;
    }
}
