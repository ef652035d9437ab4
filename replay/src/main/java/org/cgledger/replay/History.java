package org.cgledger.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cgledger.core.decide.Evolver;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HierarchyMounted;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.State;
import org.cgledger.persistence.Journals;

/**
 * Everything that ever happened to a group: for every incarnation of a path (each cgroup ever
 * created there, by its never-reused id), the events that touched it ({@link GroupTouches}) in
 * ledger order, each as one line with the group's own counters (its css and the css_set its
 * directory holds) after the event. Rmdir attempts that failed are in the journal (a refused rmdir
 * of an existing cgroup records a {@code RmdirRefused}), so a history shows them and why.
 */
public final class History {

    private History() {
    }

    /** One event in a group's history, with the group's counters after it ({@code A1=2 N1=1}). */
    public record Entry(long seq, long time, String text, String refcounts) {
        @Override
        public String toString() {
            return "#" + seq + "  " + text + (refcounts.isEmpty() ? "" : "  [" + refcounts + "]");
        }
    }

    /** One cgroup that lived at the path. */
    public record Incarnation(CgroupId cgroup, String path, List<Entry> entries) {
        public Incarnation {
            entries = List.copyOf(entries);
        }
    }

    /** What a group's counters are: its css and its directory's css_set. */
    record Counters(List<CssId> css, CssSetId ownSet) {
        String after(State s) {
            Map<String, Integer> out = new TreeMap<>();
            for (CssId c : css) {
                Css x = s.css(c);
                out.put(c.toString(), x == null ? 0 : x.refcount());
            }
            if (ownSet != null) {
                CssSet x = s.cssSet(ownSet);
                out.put(ownSet.toString(), x == null ? 0 : x.refcount());
            }
            StringBuilder sb = new StringBuilder();
            out.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
            return sb.toString();
        }

        static Counters of(Event e, State after) {
            if (e instanceof CgroupCreated c) {
                return new Counters(c.css(), c.ownSet());
            }
            HierarchyMounted m = (HierarchyMounted) e;
            List<CssId> roots = new ArrayList<>();
            m.subsystems().forEach(s -> roots.add(CssId.root(s)));
            return new Counters(roots, m.rootSet());
        }
    }

    /** The fold shared by the full replay and the index build: calls {@code sink} for every (group, event). */
    interface Sink {
        void touched(CgroupId cgroup, int row, Journals.Stored stored, String refcounts);

        void created(CgroupId cgroup, String path, long seq);
    }

    static Names fold(List<Journals.Stored> rows, Sink sink) {
        Names names = new Names();
        Map<CgroupId, Counters> counters = new HashMap<>();
        State s = State.EMPTY;
        for (int i = 0; i < rows.size(); i++) {
            Journals.Stored row = rows.get(i);
            Event e = row.record().event();
            State after = Evolver.evolve(s, e);
            names.learn(e, after);
            if (e instanceof CgroupCreated c) {
                counters.put(c.cgroup(), Counters.of(e, after));
                sink.created(c.cgroup(), names.path(c.cgroup()), row.record().seq());
            } else if (e instanceof HierarchyMounted m && !counters.containsKey(m.root())) {
                counters.put(m.root(), Counters.of(e, after));
                sink.created(m.root(), names.path(m.root()), row.record().seq());
            }
            Set<CgroupId> touched = GroupTouches.of(s, e, after);
            for (CgroupId g : touched) {
                Counters k = counters.get(g);
                sink.touched(g, i, row, k == null ? "" : k.after(after));
            }
            s = after;
        }
        return names;
    }

    /**
     * The history of {@code path} by a full replay of {@code rows} (the reference the index is
     * checked against). Empty when no cgroup ever lived there.
     */
    public static List<Incarnation> replay(List<Journals.Stored> rows, String path) {
        Map<CgroupId, List<Entry>> byGroup = new LinkedHashMap<>();
        Map<CgroupId, List<int[]>> pending = new HashMap<>();
        Map<CgroupId, List<String>> counters = new HashMap<>();
        Names names = fold(rows, new Sink() {
            @Override
            public void touched(CgroupId cgroup, int row, Journals.Stored stored, String refcounts) {
                pending.computeIfAbsent(cgroup, k -> new ArrayList<>()).add(new int[] {row});
                counters.computeIfAbsent(cgroup, k -> new ArrayList<>()).add(refcounts);
            }

            @Override
            public void created(CgroupId cgroup, String p, long seq) {
                if (p.equals(path)) {
                    byGroup.put(cgroup, new ArrayList<>());
                }
            }
        });
        List<Incarnation> out = new ArrayList<>();
        byGroup.forEach((id, list) -> {
            List<int[]> idx = pending.getOrDefault(id, List.of());
            List<String> rc = counters.getOrDefault(id, List.of());
            for (int k = 0; k < idx.size(); k++) {
                Journals.Stored r = rows.get(idx.get(k)[0]);
                list.add(new Entry(r.record().seq(), r.record().time(), Describe.event(r.record().event(), names),
                        rc.get(k)));
            }
            out.add(new Incarnation(id, path, list));
        });
        return out;
    }
}
