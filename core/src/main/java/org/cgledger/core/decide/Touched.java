package org.cgledger.core.decide;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.CgroupRemoved;
import org.cgledger.core.event.CssReleased;
import org.cgledger.core.event.CssSetFreed;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HierarchyDestroyed;
import org.cgledger.core.event.HierarchyMounted;
import org.cgledger.core.event.LedgerInitialized;
import org.cgledger.core.event.ObjectCharged;
import org.cgledger.core.event.ObjectReleased;
import org.cgledger.core.event.TaskAttached;
import org.cgledger.core.event.TaskExited;
import org.cgledger.core.event.TaskForked;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.state.ChargedObject;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;
import org.cgledger.core.state.Task;

/**
 * The reference counts an event changes: every css and css_set whose refcount it gets or puts,
 * with their values once it is applied (0 for one it frees or releases). The journal records
 * these with each event, and the audit checks them against its own recomputation.
 */
public final class Touched {

    private Touched() {
    }

    /** Counter names ({@code N3}, {@code A1}) to values after {@code event}, sorted by name. */
    public static Map<String, Integer> refcounts(State before, Event event, State after) {
        Set<CssSetId> sets = new LinkedHashSet<>();
        Set<CssId> css = new LinkedHashSet<>();
        if (event instanceof LedgerInitialized) {
            sets.add(CssSetId.INITIAL);
            css.addAll(after.rootKey().css());
        } else if (event instanceof HierarchyMounted e) {
            sets.add(e.rootSet());
            if (e.createdKey() != null) {
                css.addAll(e.createdKey().css());
            }
        } else if (event instanceof HierarchyDestroyed e) {
            Hierarchy h = before.hierarchy(e.hierarchy());
            sets.add(before.cgroup(h.root()).ownSet());
        } else if (event instanceof CgroupCreated e) {
            sets.add(e.ownSet());
            css.addAll(e.css());
            if (e.createdKey() != null) {
                css.addAll(e.createdKey().css());
            }
        } else if (event instanceof CgroupRemoved e) {
            Cgroup c = before.cgroup(e.cgroup());
            sets.add(c.ownSet());
        } else if (event instanceof TaskAttached e) {
            sets.add(e.fromSet());
            sets.add(e.toSet());
            if (e.createdKey() != null) {
                css.addAll(e.createdKey().css());
            }
            for (ObjectName o : e.moved()) {
                ChargedObject b = before.object(o);
                ChargedObject a = after.object(o);
                if (b.pinnedSet() != null) {
                    sets.add(b.pinnedSet());
                    sets.add(a.pinnedSet());
                } else {
                    css.add(b.css());
                    css.add(a.css());
                }
            }
        } else if (event instanceof TaskForked e) {
            sets.add(before.task(e.parent()).cssSet());
        } else if (event instanceof TaskExited e) {
            Task t = before.task(e.pid());
            sets.add(t.cssSet());
        } else if (event instanceof ObjectCharged e) {
            if (e.pinnedSet() != null) {
                sets.add(e.pinnedSet());
            } else {
                css.add(e.css());
            }
        } else if (event instanceof ObjectReleased e) {
            ChargedObject o = before.object(e.object());
            if (o.pinnedSet() != null) {
                sets.add(o.pinnedSet());
            } else {
                css.add(o.css());
            }
        } else if (event instanceof CssSetFreed e) {
            sets.add(e.cssSet());
            css.addAll(before.cssSet(e.cssSet()).key().css());
        } else if (event instanceof CssReleased e) {
            css.add(e.css());
        }
        Map<String, Integer> out = new TreeMap<>();
        for (CssSetId id : sets) {
            CssSet s = after.cssSet(id);
            out.put(id.toString(), s == null ? 0 : s.refcount());
        }
        for (CssId id : css) {
            Css c = after.css(id);
            out.put(id.toString(), c == null ? 0 : c.refcount());
        }
        return out;
    }
}
