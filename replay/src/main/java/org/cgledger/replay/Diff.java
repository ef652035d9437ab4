package org.cgledger.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.ChargedObject;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;
import org.cgledger.core.state.Task;

/**
 * What changed between two states of one ledger (after event N and after event M): hierarchies
 * mounted, detached and destroyed, and mount points added and removed; cgroups created, removed,
 * and (removed ones kept by a reference) gone, and their {@code notify_on_release} and
 * {@code move_charge_at_immigrate}; tasks forked, exited and moved (per hierarchy, from where to
 * where); css_sets created and freed and their refcounts; css created and released, and their
 * refcounts, usage, limits and states; objects charged, moved, held by other tasks and released.
 * One line per change, in that order. A pid whose task exited and was forked again in between is
 * two tasks, as an object name released and charged again is two objects: by the event that forked
 * each ({@link Task#forkedAt}). Where a snapshot of an earlier build left it unknown, a task forked
 * after the first state is still another; else the two are taken for one task.
 */
public final class Diff {

    private Diff() {
    }

    private static String holders(ChargedObject o) {
        List<Pid> pids = o.holders().sorted(null);
        return pids.isEmpty() ? "no task" : "task " + String.join(" ", pids.stream().map(Pid::toString).toList());
    }

    /** A hierarchy as its mount options name it: {@code (A,name=ha)}. */
    private static String options(Hierarchy h) {
        List<String> o = new ArrayList<>();
        h.subsystems().forEach(x -> o.add(x.name()));
        if (!h.name().isEmpty()) {
            o.add("name=" + h.name());
        }
        return "(" + String.join(",", o) + ")";
    }

    private static void hierarchies(State a, State b, List<String> out) {
        for (Hierarchy h : b.realHierarchies()) {
            Hierarchy was = a.hierarchy(h.id());
            if (was == null) {
                out.add("hierarchy " + options(h) + (h.mountPoints().isEmpty() ? " mounted, and detached since"
                        : " mounted on " + String.join(" and ", h.mountPoints())));
                continue;
            }
            for (String mp : h.mountPoints()) {
                if (!was.mountPoints().contains(mp)) {
                    out.add("hierarchy " + options(h) + " mount point " + mp + " added");
                }
            }
            for (String mp : was.mountPoints()) {
                if (!h.mountPoints().contains(mp)) {
                    out.add("hierarchy " + options(h) + " mount point " + mp + " removed");
                }
            }
            if (h.isDetached() && !was.isDetached()) {
                out.add("hierarchy " + options(h) + " detached (unmounted with child cgroups)");
            }
        }
        for (Hierarchy h : a.realHierarchies()) {
            if (b.hierarchy(h.id()) == null) {
                out.add("hierarchy " + options(h) + " destroyed (" + h.label() + ")");
            }
        }
    }

    /** Each cgroup's flags that changed ({@code notify_on_release}, {@code move_charge_at_immigrate}). */
    private static void flags(State a, State b, List<String> out) {
        b.cgroups().forEach((id, c) -> {
            Cgroup was = a.cgroup(id);
            if (was == null || c.hierarchy().isDefault()) {
                return;
            }
            if (was.notifyOnRelease() != c.notifyOnRelease()) {
                out.add("cgroup " + b.path(id) + " notify_on_release " + bit(was.notifyOnRelease()) + " -> "
                        + bit(c.notifyOnRelease()));
            }
            for (Subsystem x : b.hierarchyOf(c).subsystems()) {
                if (was.moveCharge().contains(x) != c.moveCharge().contains(x)) {
                    out.add("cgroup " + b.path(id) + " " + x.name() + ".move_charge_at_immigrate "
                            + bit(was.moveCharge().contains(x)) + " -> " + bit(c.moveCharge().contains(x)));
                }
            }
        });
    }

    private static String bit(boolean on) {
        return on ? "1" : "0";
    }

    public static List<String> between(State a, State b) {
        List<String> out = new ArrayList<>();
        hierarchies(a, b, out);
        b.cgroups().forEach((id, c) -> {
            if (c.hierarchy().isDefault()) {
                return; // the default hierarchy's root: no directory, there from init on
            }
            if (a.cgroup(id) == null && !c.removed()) {
                out.add("cgroup created: " + b.path(id));
            } else if (c.removed() && a.cgroup(id) == null) {
                // made and removed in between, still kept (a css dying, or named by a pinned css_set)
                out.add("cgroup created and removed: " + b.path(id));
            } else if (c.removed() && !a.cgroup(id).removed()) {
                out.add("cgroup removed: " + b.path(id));
            }
        });
        a.cgroups().forEach((id, c) -> {
            if (b.cgroup(id) == null && !c.removed()) {
                out.add("cgroup removed: " + a.path(id));
            } else if (b.cgroup(id) == null) {
                // removed before, kept by a css dying or a pinned css_set naming it, and now let go
                out.add("cgroup gone: " + a.path(id) + " (removed before; nothing keeps it any more)");
            }
        });
        flags(a, b, out);
        b.tasks().forEach((pid, t) -> {
            Task was = a.task(pid);
            if (was != null && (t.otherThan(was) || t.forkedAt() > a.lastEvent())) {
                // the task exited and another was forked with its pid in between: not a move (a fork
                // after event N tells so even where the first one's is not known)
                out.add("task " + pid + " exited");
                was = null;
            }
            if (was == null) {
                out.add("task " + pid + (pid.equals(Pid.INIT) ? " (init) started" : " forked") + ", on " + t.cssSet());
            } else if (!was.cssSet().equals(t.cssSet())) {
                boolean moved = false;
                for (Hierarchy h : b.realHierarchies()) {
                    // in a hierarchy mounted since, the task was in its root as it was mounted
                    boolean mountedSince = a.hierarchy(h.id()) == null;
                    var from = mountedSince ? h.root() : a.cgroupOf(was, h);
                    var to = b.cgroupOf(t, h);
                    if (!from.equals(to)) {
                        out.add("task " + pid + " moved " + (mountedSince ? b.path(from) : a.path(from)) + " -> "
                                + b.path(to));
                        moved = true;
                    }
                }
                if (!moved) {
                    out.add("task " + pid + " css_set " + was.cssSet() + " -> " + t.cssSet());
                }
            }
        });
        a.tasks().forEach((pid, t) -> {
            if (b.task(pid) == null) {
                out.add("task " + pid + " exited");
            }
        });
        b.cssSets().forEach((id, s) -> {
            CssSet was = a.cssSet(id);
            if (was == null) {
                out.add("css_set " + id + " created, refcount " + s.refcount());
            } else if (was.refcount() != s.refcount()) {
                out.add("css_set " + id + " refcount " + was.refcount() + " -> " + s.refcount());
            }
        });
        a.cssSets().forEach((id, s) -> {
            if (b.cssSet(id) == null) {
                out.add("css_set " + id + " freed");
            }
        });
        b.css().forEach((id, c) -> {
            Css was = a.css(id);
            if (was == null) {
                out.add("css " + id + " created, refcount " + c.refcount());
                return;
            }
            if (was.refcount() != c.refcount()) {
                out.add("css " + id + " refcount " + was.refcount() + " -> " + c.refcount());
            }
            if (was.usage() != c.usage()) {
                out.add("css " + id + " usage " + was.usage() + " -> " + c.usage());
            }
            if (!was.limit().equals(c.limit())) {
                out.add("css " + id + " limit " + was.limit() + " -> " + c.limit());
            }
            if (!Objects.equals(was.state(), c.state())) {
                out.add("css " + id + " " + was.state().label() + " -> " + c.state().label());
            }
        });
        a.css().forEach((id, c) -> {
            if (b.css(id) == null) {
                out.add("css " + id + " released");
            }
        });
        b.objects().forEach((name, o) -> {
            ChargedObject was = a.object(name);
            if (was != null && was.chargedAt() != o.chargedAt()) {
                // the name was released and charged again in between: another object, not a move
                out.add("object " + name + " released from " + was.css() + " (" + was.amount() + ")");
                was = null;
            }
            if (was == null) {
                out.add("object " + name + " charged to " + o.css() + " (" + o.amount() + ")");
                return;
            }
            if (!was.css().equals(o.css())) {
                out.add("object " + name + " moved " + was.css() + " -> " + o.css());
            }
            if (!was.holders().equals(o.holders())) {
                out.add("object " + name + " held by " + holders(was) + " -> " + holders(o));
            }
        });
        a.objects().forEach((name, o) -> {
            if (b.object(name) == null) {
                out.add("object " + name + " released from " + o.css() + " (" + o.amount() + ")");
            }
        });
        return out;
    }
}
