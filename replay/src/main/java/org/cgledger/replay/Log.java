package org.cgledger.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cgledger.core.decide.Evolver;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HoldDropped;
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
 * (simple name, case-insensitive), a path (the event touches a cgroup whose path at creation is that
 * path or under it), a task (the event names the pid), an object (the event names it).
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

    public static List<Line> of(List<Journals.Stored> rows, Filter f) {
        List<Line> out = new ArrayList<>();
        Names names = new Names();
        State s = State.EMPTY;
        for (Journals.Stored row : rows) {
            long seq = row.record().seq();
            Event e = row.record().event();
            State after = Evolver.evolve(s, e);
            names.learn(e, after);
            boolean keep = (f.from() == null || seq >= f.from()) && (f.to() == null || seq <= f.to())
                    && (f.type() == null || Describe.type(e).equalsIgnoreCase(f.type()))
                    && (f.task() == null || namesTask(e, Pid.of(f.task())))
                    && (f.object() == null || namesObject(e, ObjectName.of(f.object())));
            if (keep && f.path() != null) {
                Set<CgroupId> touched = GroupTouches.of(s, e, after);
                keep = touched.stream().map(names::path)
                        .anyMatch(p -> p.equals(f.path()) || p.startsWith(f.path().endsWith("/") ? f.path() : f.path() + "/"));
            }
            if (keep) {
                out.add(new Line(row, Describe.event(e, names)));
            }
            s = after;
            if (f.to() != null && seq > f.to()) {
                break;
            }
        }
        return out;
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
