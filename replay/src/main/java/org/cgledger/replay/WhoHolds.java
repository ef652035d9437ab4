package org.cgledger.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.CssSetFreed;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HierarchyMounted;
import org.cgledger.core.event.LedgerInitialized;
import org.cgledger.core.event.ObjectCharged;
import org.cgledger.core.event.TaskAttached;
import org.cgledger.core.event.TaskForked;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssState;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.State;
import org.cgledger.persistence.Journals;

/**
 * Who holds a css or a css_set after event N: each live holder (a task using the css_set, a
 * directory holding it, an object pinning it; for a css, each css_set containing it and each
 * object pinning it) with the event that created the reference; and, on request, every get and
 * put of the counter up to N ({@link Audit#timeline}).
 */
public final class WhoHolds {

    private WhoHolds() {
    }

    /**
     * One live reference and the event that took it.
     *
     * @param cgroup a directory's cgroup (its path is {@code name}); null for the other kinds
     */
    public record Holder(String kind, String name, long since, String cause, CgroupId cgroup) {
        public Holder(String kind, String name, long since, String cause) {
            this(kind, name, since, cause, null);
        }

        @Override
        public String toString() {
            return kind + " " + name + "  since #" + since + " (" + cause + ")";
        }
    }

    /**
     * The answer: the counter's value and its holders, which number exactly that value when sound.
     *
     * @param keptBy for a css no longer online, its unreleased child css: each holds its parent, as
     *               the kernel's child css does, but is counted apart from the refcount (css_sets and
     *               objects), so they keep it dying at any refcount; empty otherwise
     */
    public record Answer(String counter, int refcount, List<Holder> holders, List<String> keptBy) {
        public Answer {
            holders = List.copyOf(holders);
            keptBy = List.copyOf(keptBy);
        }
    }

    /** The unreleased child css of {@code c}, by name: what keeps a removed group's css from its release. */
    public static List<String> children(State s, Css c) {
        List<String> out = new ArrayList<>();
        if (c.children() > 0) {
            s.css().forEach((id, x) -> {
                if (c.id().equals(x.parent())) {
                    out.add(id.toString());
                }
            });
        }
        out.sort(null);
        return out;
    }

    /**
     * The holders of {@code counter} ({@code N3} or {@code A1}) after event {@code n} of {@code rows}.
     * Empty when the counter is not live then.
     */
    public static Optional<Answer> at(List<Journals.Stored> rows, long n, String counter) {
        Map<Pid, Long> taskSince = new HashMap<>();
        Map<CgroupId, Long> dirSince = new HashMap<>();
        Map<CssSetId, Long> setSince = new HashMap<>();
        Map<ObjectName, Long> pinSince = new HashMap<>();
        Map<Long, Event> causes = new HashMap<>();
        Names names = new Names();
        State s = State.EMPTY;
        for (Journals.Stored row : rows) {
            long seq = row.record().seq();
            if (seq > n) {
                break;
            }
            Event e = row.record().event();
            State after = Journal.apply(s, row);
            names.learn(e, after);
            if (e instanceof LedgerInitialized) {
                taskSince.put(Pid.INIT, seq);
                setSince.put(CssSetId.INITIAL, seq);
            } else if (e instanceof HierarchyMounted m) {
                dirSince.put(m.root(), seq);
                setSince.putIfAbsent(m.rootSet(), seq);
            } else if (e instanceof CgroupCreated c) {
                dirSince.put(c.cgroup(), seq);
                setSince.putIfAbsent(c.ownSet(), seq);
            } else if (e instanceof TaskAttached a) {
                taskSince.put(a.pid(), seq);
                setSince.putIfAbsent(a.toSet(), seq);
                a.moved().forEach(o -> pinSince.put(o, seq));
            } else if (e instanceof TaskForked f) {
                taskSince.put(f.child(), seq);
            } else if (e instanceof ObjectCharged c) {
                pinSince.put(c.object(), seq);
            } else if (e instanceof CssSetFreed f) {
                // the one event that ends a css_set (a walk of every live one after each event made
                // who-holds on the 1,000,000-event ledger run for more than 27 minutes)
                setSince.remove(f.cssSet());
            }
            causes.put(seq, e);
            s = after;
        }
        State state = s;
        if (!state.initialized()) {
            return Optional.empty();
        }
        List<Holder> out = new ArrayList<>();
        Optional<CssSetId> set = CssSetId.parse(counter);
        if (set.isPresent()) {
            CssSet x = state.cssSet(set.get());
            if (x == null) {
                return Optional.empty();
            }
            state.tasks().forEach((pid, t) -> {
                if (t.cssSet().equals(x.id())) {
                    out.add(holder("task", pid.toString(), taskSince.getOrDefault(pid, 0L), causes, names));
                }
            });
            state.cgroups().forEach((id, c) -> {
                if (!c.removed() && x.id().equals(c.ownSet())) {
                    Holder h = holder("directory", state.path(id), dirSince.getOrDefault(id, 0L), causes, names);
                    out.add(new Holder(h.kind(), h.name(), h.since(), h.cause(), id));
                }
            });
            x.pinnedBy().sorted(null).forEach(o -> out.add(holder("object", o.toString(),
                    pinSince.getOrDefault(o, 0L), causes, names)));
            return Optional.of(new Answer(counter, x.refcount(), out, List.of()));
        }
        Optional<CssId> cssId = CssId.parse(counter, state.catalog().subsystems());
        if (cssId.isEmpty() || state.css(cssId.get()) == null) {
            return Optional.empty();
        }
        Css c = state.css(cssId.get());
        state.cssSets().forEach((id, x) -> {
            if (x.key().css().contains(c.id())) {
                out.add(holder("css_set", id.toString(), setSince.getOrDefault(id, 0L), causes, names));
            }
        });
        c.charged().sorted(null).forEach(o -> {
            if (state.object(o).pinnedSet() == null) {
                out.add(holder("object", o.toString(), pinSince.getOrDefault(o, 0L), causes, names));
            }
        });
        return Optional.of(new Answer(counter, c.refcount(), out,
                c.state() == CssState.ONLINE ? List.of() : children(state, c)));
    }

    private static Holder holder(String kind, String name, long since, Map<Long, Event> causes, Names names) {
        Event e = causes.get(since);
        return new Holder(kind, name, since, e == null ? "?" : Describe.event(e, names));
    }

    /** Every get and put of {@code counter} up to event {@code n}. */
    public static List<Audit.Step> timeline(List<Journals.Stored> rows, long n, String counter) {
        // the rows up to n, as a view of the list: none of them copied (or, kept encoded, decoded)
        List<Audit.Step> out = new ArrayList<>();
        for (Audit.Step s : Audit.timeline(rows.subList(0, Journal.indexAfter(rows, n)), counter)) {
            if (s.delta() != 0) {
                out.add(s);
            }
        }
        return out;
    }
}
