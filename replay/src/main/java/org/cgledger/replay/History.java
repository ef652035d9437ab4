package org.cgledger.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HierarchyMounted;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.state.Catalog;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.State;
import org.cgledger.persistence.Journals;

/**
 * Everything that ever happened to a group: for every incarnation of a path (each cgroup that ever
 * lived there, by its never-reused id: created there, or there under a mount point its hierarchy
 * gained later), the events that touched it ({@link GroupTouches}) in ledger order, each as one
 * line with the group's own counters (its css and the css_set its directory holds) after the event.
 * Rmdir attempts that failed are in the journal (a refused rmdir of an existing cgroup records a
 * {@code RmdirRefused}), so a history shows them and why.
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

        /** The css as stored in the history index: {@code A1 B1}. */
        String cssText() {
            StringBuilder sb = new StringBuilder();
            css.forEach(c -> sb.append(sb.length() == 0 ? "" : " ").append(c));
            return sb.toString();
        }

        /** Read back from the history index ({@link #cssText}, the css_set or null), against {@code catalog}. */
        static Counters parse(String cssText, String ownSet, Catalog catalog) {
            List<CssId> css = new ArrayList<>();
            for (String c : cssText.isEmpty() ? new String[0] : cssText.split(" ")) {
                css.add(CssId.parse(c, catalog.subsystems())
                        .orElseThrow(() -> new IllegalStateException("history index: no css " + c + " in " + catalog)));
            }
            return new Counters(css, ownSet == null ? null : CssSetId.parse(ownSet)
                    .orElseThrow(() -> new IllegalStateException("history index: no css_set " + ownSet)));
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

        void created(CgroupId cgroup, String path, long seq, Counters counters);

        /** The group lives at {@code path} ({@link Names#reached}): at creation, or under a mount point added later. */
        void reached(CgroupId cgroup, String path);
    }

    static Names fold(List<Journals.Stored> rows, Sink sink) {
        return fold(State.EMPTY, rows, g -> null, sink);
    }

    /**
     * The fold from {@code start}, the model before {@code rows}; {@code known} gives the counters
     * of a group created before them (null if none).
     */
    static Names fold(State start, List<Journals.Stored> rows, Function<CgroupId, Counters> known, Sink sink) {
        Names names = new Names();
        Map<CgroupId, Counters> counters = new HashMap<>();
        State s = start;
        for (int i = 0; i < rows.size(); i++) {
            Journals.Stored row = rows.get(i);
            Event e = row.record().event();
            State after = Journal.apply(s, row);
            names.learn(e, after);
            if (e instanceof CgroupCreated c) {
                Counters k = Counters.of(e, after);
                counters.put(c.cgroup(), k);
                sink.created(c.cgroup(), names.path(c.cgroup()), row.record().seq(), k);
            } else if (e instanceof HierarchyMounted m && !counters.containsKey(m.root())
                    && known.apply(m.root()) == null) {
                Counters k = Counters.of(e, after);
                counters.put(m.root(), k);
                sink.created(m.root(), names.path(m.root()), row.record().seq(), k);
            }
            for (Names.Lived l : Names.reached(e, after)) {
                sink.reached(l.cgroup(), l.path());
            }
            Set<CgroupId> touched = GroupTouches.of(s, e, after);
            for (CgroupId g : touched) {
                Counters k = counters.computeIfAbsent(g, known);
                sink.touched(g, i, row, k == null ? "" : k.after(after));
            }
            s = after;
        }
        return names;
    }

    /**
     * The history of {@code path} by a full replay of {@code rows} (the reference the index is
     * checked against): every cgroup that ever lived there, created there or reached there through
     * a mount point its hierarchy gained later, in the order they were created. Empty when no
     * cgroup ever lived there.
     */
    public static List<Incarnation> replay(List<Journals.Stored> rows, String path) {
        Map<CgroupId, Long> created = new HashMap<>();
        Set<CgroupId> there = new LinkedHashSet<>();
        Map<CgroupId, List<int[]>> pending = new HashMap<>();
        Map<CgroupId, List<String>> counters = new HashMap<>();
        Names names = fold(rows, new Sink() {
            @Override
            public void touched(CgroupId cgroup, int row, Journals.Stored stored, String refcounts) {
                pending.computeIfAbsent(cgroup, k -> new ArrayList<>()).add(new int[] {row});
                counters.computeIfAbsent(cgroup, k -> new ArrayList<>()).add(refcounts);
            }

            @Override
            public void created(CgroupId cgroup, String p, long seq, Counters k) {
                created.put(cgroup, seq);
            }

            @Override
            public void reached(CgroupId cgroup, String p) {
                if (p.equals(path)) {
                    there.add(cgroup);
                }
            }
        });
        Map<CgroupId, List<Entry>> byGroup = new LinkedHashMap<>();
        there.stream().sorted(Comparator.comparing(created::get)).forEach(id -> byGroup.put(id, new ArrayList<>()));
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
