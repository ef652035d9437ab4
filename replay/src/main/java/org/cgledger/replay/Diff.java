package org.cgledger.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cgledger.core.model.Pid;
import org.cgledger.core.state.ChargedObject;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;
import org.cgledger.core.state.Task;

/**
 * What changed between two states of one ledger (after event N and after event M): cgroups
 * created and removed, tasks forked, exited and moved (per hierarchy, from where to where),
 * refcounts and usage that changed, css that went offline and css released, css_sets created and
 * freed, objects charged, moved, held by other tasks and released. One line per change, in that order.
 */
public final class Diff {

    private Diff() {
    }

    private static String holders(ChargedObject o) {
        List<Pid> pids = o.holders().sorted(null);
        return pids.isEmpty() ? "no task" : "task " + String.join(" ", pids.stream().map(Pid::toString).toList());
    }

    public static List<String> between(State a, State b) {
        List<String> out = new ArrayList<>();
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
            }
        });
        b.tasks().forEach((pid, t) -> {
            Task was = a.task(pid);
            if (was == null) {
                out.add("task " + pid + (pid.equals(Pid.INIT) ? " (init) started" : " forked") + ", on " + t.cssSet());
            } else if (!was.cssSet().equals(t.cssSet())) {
                for (Hierarchy h : b.realHierarchies()) {
                    if (a.hierarchy(h.id()) == null || a.cssSet(was.cssSet()) == null) {
                        continue;
                    }
                    var from = a.cgroupOf(was, h);
                    var to = b.cgroupOf(t, h);
                    if (!from.equals(to)) {
                        out.add("task " + pid + " moved " + a.path(from) + " -> " + b.path(to));
                    }
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
