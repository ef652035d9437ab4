package org.cgledger.core.state;

import java.util.Objects;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.util.PMap;

/**
 * The serials that make ids unique and never reused, and the number of events applied so far
 * (which is the ledger-wide number of the last event).
 */
public record Counters(int nextHierarchy, long nextCgroup, long nextCssSet, PMap<Subsystem, Integer> nextCss,
                       int maxPid, long events) {

    public static final Counters ZERO = new Counters(1, 1, 0, PMap.empty(), 0, 0);

    public Counters {
        Objects.requireNonNull(nextCss, "nextCss");
    }

    public int nextCss(Subsystem s) {
        return nextCss.getOrDefault(s, 1);
    }
}
