package org.cgledger.core.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.state.ChargedObject;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.State;

/**
 * The holders behind each refcount, derived from the state (DESIGN.md §1). The number of holders
 * returned equals the refcount by definition ({@code Refcounts.recompute}); when the state is sound
 * it also equals the refcount kept incrementally.
 */
public final class Holders {

    private Holders() {
    }

    /**
     * The holders of css {@code id}: the live css_sets containing it, by id, then the objects pinning
     * it directly, by name. Empty for an unknown css. O(its css_sets + objects) for a non-root css
     * under pin=cssset; O(css_sets) otherwise (a view, not a command: the list is kept only where
     * a strict rmdir needs it, see {@code Css.sets}).
     */
    public static List<Holder> ofCss(State s, CssId id) {
        Css css = s.css(id);
        List<Holder> out = new ArrayList<>();
        if (css == null) {
            return out;
        }
        List<CssSetId> sets = new ArrayList<>();
        if (id.isRoot() || s.pin() != org.cgledger.core.model.PinPolicy.CSSSET) {
            // the index is kept for non-root css under pin=cssset only (see Css.sets)
            int index = s.catalog().indexOf(id.subsys());
            s.cssSets().forEach((setId, set) -> {
                if (index >= 0 && set.key().css(index).equals(id)) {
                    sets.add(setId);
                }
            });
        } else {
            sets.addAll(css.sets().toList());
        }
        sets.sort(null);
        for (CssSetId set : sets) {
            out.add(new Holder.OfCssSet(set));
        }
        for (ObjectName name : css.charged().sorted(null)) {
            ChargedObject o = s.object(name);
            if (o != null && o.pinnedSet() == null) {
                out.add(new Holder.OfObject(o));
            }
        }
        return out;
    }

    /**
     * {@link #ofCssSet} of every live css_set, in one walk of the tasks and one of the cgroups:
     * O(tasks + cgroups + css_sets) for all of them, where asking {@link #ofCssSet} of each took
     * minutes on a state of 100,000 tasks and 83,000 css_sets ({@code csssets}, {@code replay}).
     */
    public static Map<CssSetId, List<Holder>> ofCssSets(State s) {
        // both maps iterate in id order: each css_set's tasks come by pid, its directories by id
        Map<CssSetId, List<Holder>> tasks = new HashMap<>();
        s.tasks().forEach((pid, t) -> tasks.computeIfAbsent(t.cssSet(), k -> new ArrayList<>()).add(new Holder.OfTask(pid)));
        Map<CssSetId, List<Holder>> dirs = new HashMap<>();
        s.cgroups().forEach((cid, c) -> {
            if (c.ownSet() != null && !c.removed()) {
                dirs.computeIfAbsent(c.ownSet(), k -> new ArrayList<>()).add(new Holder.OfDirectory(cid));
            }
        });
        Map<CssSetId, List<Holder>> out = new HashMap<>();
        s.cssSets().forEach((id, set) -> {
            List<Holder> holders = new ArrayList<>(tasks.getOrDefault(id, List.of()));
            holders.addAll(dirs.getOrDefault(id, List.of()));
            pinning(s, set, holders);
            out.put(id, holders);
        });
        return out;
    }

    /**
     * The holders of css_set {@code id}: the tasks using it, by pid; the live directories holding it,
     * by cgroup id; the objects pinning it, by name. Empty for an unknown css_set. O(tasks + cgroups).
     */
    public static List<Holder> ofCssSet(State s, CssSetId id) {
        CssSet set = s.cssSet(id);
        List<Holder> out = new ArrayList<>();
        if (set == null) {
            return out;
        }
        List<Pid> tasks = new ArrayList<>();
        s.tasks().forEach((pid, t) -> {
            if (t.cssSet().equals(id)) {
                tasks.add(pid);
            }
        });
        tasks.sort(null);
        tasks.forEach(p -> out.add(new Holder.OfTask(p)));
        List<CgroupId> dirs = new ArrayList<>();
        s.cgroups().forEach((cid, c) -> {
            if (id.equals(c.ownSet()) && !c.removed()) {
                dirs.add(cid);
            }
        });
        dirs.sort(null);
        dirs.forEach(d -> out.add(new Holder.OfDirectory(d)));
        pinning(s, set, out);
        return out;
    }

    /** Adds the objects pinning {@code set}, by name. */
    private static void pinning(State s, CssSet set, List<Holder> out) {
        for (ObjectName name : set.pinnedBy().sorted(null)) {
            ChargedObject o = s.object(name);
            if (o != null) {
                out.add(new Holder.OfObject(o));
            }
        }
    }
}
