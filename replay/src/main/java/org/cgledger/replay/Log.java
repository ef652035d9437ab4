package org.cgledger.replay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HoldDropped;
import org.cgledger.core.event.LedgerInitialized;
import org.cgledger.core.event.ObjectCharged;
import org.cgledger.core.event.ObjectReleased;
import org.cgledger.core.event.TaskAttached;
import org.cgledger.core.event.TaskExited;
import org.cgledger.core.event.TaskForked;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.state.State;
import org.cgledger.persistence.Journals;

/**
 * The journal in ledger order, filtered. Every criterion given must hold: number range, event type
 * (simple name, case-insensitive), a path (the event touches a cgroup that lived at that path or
 * under it at some point of the journal: created there, or there under a mount point its hierarchy
 * gained later, as {@link History} finds it), a task (the event names the pid), an object (the
 * event names it).
 */
public final class Log {

    private Log() {
    }

    /** Null fields do not filter. */
    public record Filter(Long from, Long to, String type, String path, Integer task, String object) {
        public static Filter all() {
            return new Filter(null, null, null, null, null, null);
        }
    }

    /** A listed event with its line. */
    public record Line(Journals.Stored row, String text) {
        @Override
        public String toString() {
            return "#" + row.record().seq() + "  " + java.time.Instant.ofEpochMilli(row.record().time()) + "  "
                    + row.persistenceId() + " #" + row.sequenceNr() + "  " + Describe.type(row.record().event()) + "  "
                    + text;
        }
    }

    /**
     * The events of {@code rows} that pass {@code f}; empty when {@code f} names a path where no
     * cgroup ever lived. With a path, the whole journal is folded (a group may reach the path after
     * the last event listed).
     */
    public static Optional<List<Line>> of(List<Journals.Stored> rows, Filter f) {
        List<Line> out = new ArrayList<>();
        if (f.path() == null) {
            fold(action -> {
                for (Journals.Stored row : rows) {
                    if (f.to() != null && row.record().seq() > f.to()) {
                        break;
                    }
                    action.accept(row);
                }
            }, f, out::add);
            return Optional.of(out);
        }
        // with a path: the events that pass every other criterion and the groups they touch, until
        // the fold has seen every path those groups lived at
        List<Journals.Stored> kept = new ArrayList<>();
        List<Set<CgroupId>> touches = new ArrayList<>();
        Set<CgroupId> there = new HashSet<>();
        Names names = new Names();
        State s = State.EMPTY;
        for (Journals.Stored row : rows) {
            Event e = row.record().event();
            State after = Journal.apply(s, row);
            names.learn(e, after);
            for (Names.Lived l : Names.reached(e, after)) {
                if (atOrUnder(l.path(), f.path())) {
                    there.add(l.cgroup());
                }
            }
            Set<CgroupId> touched = passes(row, f) ? GroupTouches.of(s, e, after) : Set.of();
            if (!touched.isEmpty()) {
                kept.add(row);
                touches.add(touched);
            }
            s = after;
        }
        if (there.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < kept.size(); i++) {
            if (touches.get(i).stream().anyMatch(there::contains)) {
                // a group's name is its path at creation, known from then on: the line reads as it would have
                out.add(new Line(kept.get(i), Describe.event(kept.get(i).record().event(), names)));
            }
        }
        return Optional.of(out);
    }

    /**
     * The events that pass {@code f}, which names no path, from the rows {@code source} gives in
     * ledger order (from the first: the fold names the groups), each given to {@code sink} as it is
     * found.
     */
    private static void fold(Consumer<Consumer<Journals.Stored>> source, Filter f, Consumer<Line> sink) {
        Names names = new Names();
        State[] s = {State.EMPTY};
        source.accept(row -> {
            Event e = row.record().event();
            State after = Journal.apply(s[0], row);
            names.learn(e, after);
            if (passes(row, f)) {
                sink.accept(new Line(row, Describe.event(e, names)));
            }
            s[0] = after;
        });
    }

    /**
     * {@link #of(TimeTravel, Filter)}, each line given to {@code sink}: as it is found when the
     * whole journal is folded (neither a range nor a path's rows that a stored ledger reads alone),
     * so that a reader holds a stretch of the journal at a time, not all of it, and without a path
     * its first lines come at once; false (and nothing given) when {@code f} names a path where no
     * cgroup ever lived.
     */
    public static boolean forEach(TimeTravel t, Filter f, Consumer<Line> sink) {
        return forEach(t, f, MOST_BY_INDEX, sink);
    }

    /**
     * {@link #forEach(TimeTravel, Filter, Consumer)}, reading at most {@code most} rows one by one.
     * A path whose rows are not read alone takes two folds of the whole journal, a stretch at a
     * time: the first names every group and finds those that ever lived at the path, the second
     * gives the events that touch them.
     */
    static boolean forEach(TimeTravel t, Filter f, int most, Consumer<Line> sink) {
        Optional<List<Line>> read = alone(t, f, most);
        if (read != null) {
            read.ifPresent(l -> l.forEach(sink));
            return read.isPresent();
        }
        long to = f.to() == null ? Long.MAX_VALUE : f.to();
        if (f.path() == null) {
            fold(action -> t.forEachRow(1, to, action), f, sink);
            return true;
        }
        Names names = new Names();
        Set<CgroupId> there = new HashSet<>();
        State[] s = {State.EMPTY};
        t.forEachRow(row -> {
            Event e = row.record().event();
            State after = Journal.apply(s[0], row);
            names.learn(e, after);
            for (Names.Lived l : Names.reached(e, after)) {
                if (atOrUnder(l.path(), f.path())) {
                    there.add(l.cgroup());
                }
            }
            s[0] = after;
        });
        if (there.isEmpty()) {
            return false;
        }
        s[0] = State.EMPTY;
        t.forEachRow(1, to, row -> {
            Event e = row.record().event();
            State after = Journal.apply(s[0], row);
            if (passes(row, f) && GroupTouches.of(s[0], e, after).stream().anyMatch(there::contains)) {
                // named as the first fold left the names: as the lines listed whole read
                sink.accept(new Line(row, Describe.event(e, names)));
            }
            s[0] = after;
        });
        return true;
    }

    /** Rows a path's log reads one by one through the history index, at most; beyond, the whole journal. */
    static final int MOST_BY_INDEX = 100_000;

    /**
     * {@link #of(List, Filter)} through time travel. On a stored ledger, a range from a number on
     * without a path reads only the rows of the range ({@link StoredTravel#rows(long, long)}); a path
     * only the rows that touch the groups that lived there, found through the history index, when
     * they are at most {@link #MOST_BY_INDEX}; either names the groups through the index (built
     * first if the journal grew since). Anything else reads every row.
     */
    public static Optional<List<Line>> of(TimeTravel t, Filter f) {
        return of(t, f, MOST_BY_INDEX);
    }

    /** {@link #of(TimeTravel, Filter)}, reading at most {@code most} rows one by one. */
    static Optional<List<Line>> of(TimeTravel t, Filter f, int most) {
        Optional<List<Line>> read = alone(t, f, most);
        return read != null ? read : of(t.rows(), f);
    }

    /**
     * The lines of the rows a stored ledger reads alone for {@code f} (a range, or a path's rows
     * through the index); null when the whole journal is to be folded instead.
     */
    private static Optional<List<Line>> alone(TimeTravel t, Filter f, int most) {
        if (!(t instanceof StoredTravel stored) || f.path() == null && f.from() == null) {
            return null;
        }
        long from = f.from() == null ? 1 : f.from();
        long to = f.to() == null ? Long.MAX_VALUE : f.to();
        HistoryIndex.ensure(stored.journal());
        List<Journals.Stored> rows;
        if (f.path() == null) {
            rows = stored.rows(from, to);
        } else {
            java.util.Set<Long> groups = HistoryIndex.groupsAtOrUnder(stored.journal(), f.path());
            if (groups.isEmpty()) {
                return Optional.empty();
            }
            List<org.cgledger.persistence.JournalRows.Key> keys = HistoryIndex.touching(stored.journal(), groups, from,
                    to, most);
            if (keys == null) {
                return null;
            }
            rows = stored.journal().read(keys);
        }
        List<Journals.Stored> kept = new ArrayList<>();
        for (Journals.Stored row : rows) {
            if (passes(row, f)) {
                kept.add(row);
            }
        }
        Names names = HistoryIndex.names(stored.journal(), kept);
        List<Line> out = new ArrayList<>(kept.size());
        for (Journals.Stored row : kept) {
            out.add(new Line(row, Describe.event(row.record().event(), names)));
        }
        return Optional.of(out);
    }

    /** Whether {@code row} passes every criterion of {@code f} but the path. */
    private static boolean passes(Journals.Stored row, Filter f) {
        long seq = row.record().seq();
        Event e = row.record().event();
        return (f.from() == null || seq >= f.from()) && (f.to() == null || seq <= f.to())
                && (f.type() == null || Describe.type(e).equalsIgnoreCase(f.type()))
                && (f.task() == null || namesTask(e, Pid.of(f.task())))
                && (f.object() == null || namesObject(e, ObjectName.of(f.object())));
    }

    private static boolean atOrUnder(String p, String path) {
        return p.equals(path) || p.startsWith(path.endsWith("/") ? path : path + "/");
    }

    /** Whether the journal names a task ({@link #named}) and an object anywhere; true for what was not asked. */
    public record Named(boolean task, boolean object) {
    }

    /**
     * Whether any event of the whole journal names task {@code task} (pid 1: once the ledger is
     * initialized, its first event) and object {@code object} (null: not asked, true). Reads every
     * row, a stretch at a time: asked only when a filtered log found nothing.
     */
    public static Named named(TimeTravel t, Integer task, String object) {
        boolean[] found = {task == null, object == null};
        Pid p = task == null ? null : Pid.of(task);
        ObjectName o = object == null ? null : ObjectName.of(object);
        t.forEachRow(row -> {
            Event e = row.record().event();
            found[0] |= p != null && (namesTask(e, p) || p.equals(Pid.INIT) && e instanceof LedgerInitialized);
            found[1] |= o != null && namesObject(e, o);
        });
        return new Named(found[0], found[1]);
    }

    static boolean namesTask(Event e, Pid p) {
        return e instanceof TaskAttached a && a.pid().equals(p) || e instanceof TaskForked f
                && (f.parent().equals(p) || f.child().equals(p)) || e instanceof TaskExited x && x.pid().equals(p)
                || e instanceof ObjectCharged c && c.pid().equals(p) || e instanceof HoldDropped h && h.pid().equals(p);
    }

    static boolean namesObject(Event e, ObjectName o) {
        return e instanceof ObjectCharged c && c.object().equals(o) || e instanceof HoldDropped h && h.object().equals(o)
                || e instanceof ObjectReleased r && r.object().equals(o) || e instanceof TaskAttached a && a.moved().contains(o);
    }
}
