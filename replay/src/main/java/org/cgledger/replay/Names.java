package org.cgledger.replay;

import java.util.HashMap;
import java.util.Map;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HierarchyMounted;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.state.State;

/**
 * The path each cgroup had when it was created ({@code /H1/foo}), kept while folding so that a
 * released cgroup, gone from the state, still has a name in audits and histories. Mutable; one
 * owner.
 */
public final class Names {

    private final Map<CgroupId, String> paths = new HashMap<>();

    /** Learns the names {@code event} gives, from the state after it. */
    public void learn(Event event, State after) {
        if (event instanceof CgroupCreated e) {
            paths.put(e.cgroup(), after.path(e.cgroup()));
        } else if (event instanceof HierarchyMounted e) {
            paths.putIfAbsent(e.root(), after.path(e.root()));
        }
    }

    /** Records a path directly (for a name read back from an index). */
    public void put(CgroupId id, String path) {
        paths.put(id, path);
    }

    /** The cgroup's path at creation, or {@code cgroup N} if it was never seen created. */
    public String path(CgroupId id) {
        if (id == null) {
            return "-";
        }
        if (id.equals(CgroupId.DEFAULT_ROOT)) {
            return "(default)";
        }
        String p = paths.get(id);
        return p != null ? p : "cgroup " + id;
    }

    public Map<CgroupId, String> all() {
        return Map.copyOf(paths);
    }
}
