package org.cgledger.core.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;

/**
 * Reference counts recomputed from first principles (DESIGN.md §1), independently of the counts
 * {@code Evolver} keeps incrementally:
 * <ul>
 * <li>css_set refcount = tasks using it + cgroup directories holding it + objects pinning it;</li>
 * <li>css refcount = live css_sets that contain it + objects pinning it.</li>
 * </ul>
 * The audit compares the two after every event. O(tasks + cgroups + css_sets + objects).
 */
public final class Refcounts {

    private Refcounts() {
    }

    /** Every counter's value by definition. */
    public record Counts(Map<CssSetId, Integer> cssSets, Map<CssId, Integer> css) {
        public Counts {
            cssSets = Map.copyOf(cssSets);
            css = Map.copyOf(css);
        }
    }

    public static Counts recompute(State s) {
        Map<CssSetId, Integer> sets = new HashMap<>();
        Map<CssId, Integer> css = new HashMap<>();
        s.tasks().forEach((pid, t) -> sets.merge(t.cssSet(), 1, Integer::sum));
        s.cgroups().forEach((id, c) -> {
            if (c.ownSet() != null && !c.removed()) {
                sets.merge(c.ownSet(), 1, Integer::sum);
            }
        });
        s.objects().forEach((name, o) -> {
            if (o.pinnedSet() != null) {
                sets.merge(o.pinnedSet(), 1, Integer::sum);
            } else {
                css.merge(o.css(), 1, Integer::sum);
            }
        });
        s.cssSets().forEach((id, set) -> {
            for (CssId c : set.key().css()) {
                css.merge(c, 1, Integer::sum);
            }
        });
        return new Counts(sets, css);
    }

    /**
     * Every way {@code s} breaks the model's invariants, as one line each; empty when sound:
     * incremental refcounts equal the recomputed ones and none is negative; usage equals the live
     * charges on each css and its descendants; each task sits in exactly one live cgroup of every
     * hierarchy; the indexes (interning table, css_set members, charged objects, holds) agree
     * with what they index.
     */
    public static List<String> violations(State s) {
        List<String> out = new ArrayList<>();
        if (!s.initialized()) {
            return out;
        }
        Counts want = recompute(s);
        s.cssSets().forEach((id, set) -> {
            int w = want.cssSets().getOrDefault(id, 0);
            if (set.refcount() != w) {
                out.add("css_set " + id + " refcount " + set.refcount() + ", by definition " + w);
            }
            if (set.refcount() <= 0) {
                out.add("css_set " + id + " is live with refcount " + set.refcount());
            }
            if (!id.equals(s.cssSetIndex().get(set.key())) && !s.cssSetIndex().containsKey(set.key())) {
                out.add("css_set " + id + " is missing from the interning table");
            }
        });
        want.cssSets().keySet().forEach(id -> {
            if (!s.cssSets().containsKey(id)) {
                out.add("css_set " + id + " is referenced but not live");
            }
        });
        s.cssSetIndex().forEach((key, id) -> {
            CssSet set = s.cssSet(id);
            if (set == null || !set.key().equals(key)) {
                out.add("interning table maps a tuple to " + id + ", which does not have it");
            }
        });
        Map<CssId, Long> usage = new HashMap<>();
        Map<CssId, Set<ObjectName>> charged = new HashMap<>();
        s.objects().forEach((name, o) -> {
            charged.computeIfAbsent(o.css(), k -> new HashSet<>()).add(name);
            for (CssId x = o.css(); x != null; ) {
                usage.merge(x, o.amount(), Long::sum);
                Css c = s.css(x);
                if (c == null) {
                    out.add("object " + name + " is charged to released css " + x);
                    break;
                }
                x = c.parent();
            }
            for (Pid p : o.holders()) {
                Task t = s.task(p);
                if (t == null || !t.holds().contains(name)) {
                    out.add("object " + name + " lists holder " + p + ", who does not hold it");
                }
            }
            if (o.pinnedSet() != null && !s.cssSet(o.pinnedSet()).pinnedBy().contains(name)) {
                out.add("object " + name + " pins " + o.pinnedSet() + ", which does not list it");
            }
        });
        Map<CssId, Set<CssSetId>> members = new HashMap<>();
        s.cssSets().forEach((id, set) -> {
            for (CssId c : set.key().css()) {
                members.computeIfAbsent(c, k -> new HashSet<>()).add(id);
            }
        });
        s.css().forEach((id, c) -> {
            int w = want.css().getOrDefault(id, 0);
            if (c.refcount() != w) {
                out.add("css " + id + " refcount " + c.refcount() + ", by definition " + w);
            }
            if (c.refcount() < 0) {
                out.add("css " + id + " refcount is negative: " + c.refcount());
            }
            long u = usage.getOrDefault(id, 0L);
            if (c.usage() != u) {
                out.add("css " + id + " usage " + c.usage() + ", live charges " + u);
            }
            if (!c.charged().equals(org.cgledger.core.util.PSet.copyOf(charged.getOrDefault(id, Set.of())))) {
                out.add("css " + id + " lists charged objects " + c.charged() + ", but " + charged.get(id)
                        + " are charged to it");
            }
            if (!id.isRoot() && s.pin() == org.cgledger.core.model.PinPolicy.CSS && !c.sets().isEmpty()) {
                out.add("css " + id + " lists css_sets under pin=css, which keeps none");
            }
            if (!id.isRoot() && s.pin() == org.cgledger.core.model.PinPolicy.CSSSET) {
                Set<CssSetId> m = members.getOrDefault(id, Set.of());
                if (!c.sets().equals(org.cgledger.core.util.PSet.copyOf(m))) {
                    out.add("css " + id + " lists css_sets " + c.sets() + ", but " + m + " contain it");
                }
            }
        });
        want.css().keySet().forEach(id -> {
            if (!s.css().containsKey(id)) {
                out.add("css " + id + " is referenced but released");
            }
        });
        s.tasks().forEach((pid, t) -> {
            if (s.cssSet(t.cssSet()) == null) {
                out.add("task " + pid + " uses css_set " + t.cssSet() + ", which is not live");
                return;
            }
            for (ObjectName o : t.holds()) {
                ChargedObject obj = s.object(o);
                if (obj == null || !obj.holders().contains(pid)) {
                    out.add("task " + pid + " holds " + o + ", which does not list it");
                }
            }
        });
        for (Hierarchy h : s.realHierarchies()) {
            int listed = 0;
            Set<CgroupId> seen = new HashSet<>();
            List<CgroupId> todo = new ArrayList<>(List.of(h.root()));
            while (!todo.isEmpty()) {
                Cgroup c = s.cgroup(todo.remove(todo.size() - 1));
                if (!seen.add(c.id())) {
                    out.add("cgroup " + c.id() + " is reachable twice in hierarchy " + h.id());
                    continue;
                }
                listed += c.tasks().size();
                todo.addAll(c.children().values());
            }
            if (listed != s.tasks().size()) {
                out.add("hierarchy " + h.id() + " lists " + listed + " task memberships for " + s.tasks().size()
                        + " tasks");
            }
            s.tasks().forEach((pid, t) -> {
                if (s.cssSet(t.cssSet()) == null) {
                    return;
                }
                Cgroup c = s.cgroup(s.cgroupOf(t, h));
                if (c == null || c.removed() || !c.tasks().contains(pid)) {
                    out.add("task " + pid + " is not listed in its cgroup of hierarchy " + h.id());
                }
            });
        }
        return out;
    }
}
