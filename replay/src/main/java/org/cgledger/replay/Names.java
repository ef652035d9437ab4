package org.cgledger.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HierarchyMounted;
import org.cgledger.core.event.MountPointAdded;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;

/**
 * The path each cgroup had when it was created ({@code /H1/foo}), kept while folding so that a
 * released cgroup, gone from the state, still has a name in audits and histories. Mutable; one
 * owner.
 */
public final class Names {

    private final Map<CgroupId, String> paths = new HashMap<>();

    /** A path a live cgroup could be named by. */
    public record Lived(CgroupId cgroup, String path) {
    }

    /** Learns the names {@code event} gives, from the state after it. */
    public void learn(Event event, State after) {
        if (event instanceof CgroupCreated e) {
            paths.put(e.cgroup(), after.path(e.cgroup()));
        } else if (event instanceof HierarchyMounted e) {
            paths.putIfAbsent(e.root(), after.path(e.root()));
        }
    }

    /**
     * The paths {@code event} makes a live cgroup reachable at, from the state after it: a new
     * cgroup (or a new hierarchy's root) at its path under each mount point of its hierarchy, its
     * path at creation first; and when a hierarchy gains a mount point (a second one, or one after
     * it was detached), every live cgroup of it under that mount point. Empty for any other event.
     * Together they are every path that ever named a cgroup while it lived.
     */
    public static List<Lived> reached(Event event, State after) {
        if (event instanceof CgroupCreated e) {
            Set<String> at = new LinkedHashSet<>();
            at.add(after.path(e.cgroup()));
            String rel = after.relativePath(e.cgroup());
            after.hierarchy(e.hierarchy()).mountPoints().forEach(mp -> at.add(State.under(mp, rel)));
            return at.stream().map(p -> new Lived(e.cgroup(), p)).toList();
        } else if (event instanceof HierarchyMounted e) {
            return List.of(new Lived(e.root(), after.path(e.root())));
        } else if (event instanceof MountPointAdded e) {
            Hierarchy h = after.hierarchy(e.hierarchy());
            List<Lived> out = new ArrayList<>();
            below(after, after.cgroup(h.root()), "", e.mountPoint(), out);
            return out;
        }
        return List.of();
    }

    /** {@code c} and every live cgroup below it, {@code rel} being {@code c}'s path inside its hierarchy. */
    private static void below(State s, Cgroup c, String rel, String mountPoint, List<Lived> out) {
        out.add(new Lived(c.id(), State.under(mountPoint, rel)));
        c.children().forEach((name, id) -> below(s, s.cgroup(id), rel + "/" + name, mountPoint, out));
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
