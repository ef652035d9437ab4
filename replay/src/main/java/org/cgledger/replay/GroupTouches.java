package org.cgledger.replay;

import java.util.LinkedHashSet;
import java.util.Set;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.CgroupRemoved;
import org.cgledger.core.event.CssReleased;
import org.cgledger.core.event.CssSetFreed;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HierarchyDestroyed;
import org.cgledger.core.event.HierarchyMounted;
import org.cgledger.core.event.HoldDropped;
import org.cgledger.core.event.LedgerInitialized;
import org.cgledger.core.event.LimitSet;
import org.cgledger.core.event.MountPointAdded;
import org.cgledger.core.event.MountPointRemoved;
import org.cgledger.core.event.MoveChargeSet;
import org.cgledger.core.event.NotifyOnReleaseSet;
import org.cgledger.core.event.ObjectCharged;
import org.cgledger.core.event.ObjectReleased;
import org.cgledger.core.event.ReleaseNotified;
import org.cgledger.core.event.RmdirRefused;
import org.cgledger.core.event.TaskAttached;
import org.cgledger.core.event.TaskExited;
import org.cgledger.core.event.TaskForked;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.state.ChargedObject;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;
import org.cgledger.core.state.Task;

/**
 * The cgroups an event touches, the key of the history index: the cgroup it creates, removes,
 * configures or notifies, or refused to remove; both ends of an attach; every cgroup (one per hierarchy) of a task that
 * forks or exits; the cgroup of the css a charge, uncharge or release concerns; the cgroups of the
 * non-root css a freed css_set drops. Default-hierarchy roots are left out (every task is there).
 */
public final class GroupTouches {

    private GroupTouches() {
    }

    /** The cgroups {@code event} touches, given the states around it. */
    public static Set<CgroupId> of(State before, Event event, State after) {
        Set<CgroupId> out = new LinkedHashSet<>();
        if (event instanceof LedgerInitialized) {
            return out;
        } else if (event instanceof HierarchyMounted e) {
            out.add(e.root());
        } else if (event instanceof MountPointAdded e) {
            out.add(after.hierarchy(e.hierarchy()).root());
        } else if (event instanceof MountPointRemoved e) {
            out.add(before.hierarchy(e.hierarchy()).root());
        } else if (event instanceof HierarchyDestroyed e) {
            out.add(before.hierarchy(e.hierarchy()).root());
        } else if (event instanceof CgroupCreated e) {
            out.add(e.cgroup());
        } else if (event instanceof CgroupRemoved e) {
            out.add(e.cgroup());
        } else if (event instanceof TaskAttached e) {
            out.add(e.from());
            out.add(e.to());
        } else if (event instanceof TaskForked e) {
            taskCgroups(before, before.task(e.parent()), out);
        } else if (event instanceof TaskExited e) {
            taskCgroups(before, before.task(e.pid()), out);
        } else if (event instanceof ObjectCharged e) {
            cssCgroup(after, e.css(), out);
        } else if (event instanceof HoldDropped e) {
            objectCgroup(before, before.object(e.object()), out);
        } else if (event instanceof ObjectReleased e) {
            objectCgroup(before, before.object(e.object()), out);
        } else if (event instanceof CssSetFreed e) {
            CssSet set = before.cssSet(e.cssSet());
            if (set != null) {
                for (CssId c : set.key().css()) {
                    if (!c.isRoot()) {
                        cssCgroup(before, c, out);
                    }
                }
            }
        } else if (event instanceof CssReleased e) {
            cssCgroup(before, e.css(), out);
        } else if (event instanceof LimitSet e) {
            out.add(e.cgroup());
        } else if (event instanceof MoveChargeSet e) {
            out.add(e.cgroup());
        } else if (event instanceof NotifyOnReleaseSet e) {
            out.add(e.cgroup());
        } else if (event instanceof ReleaseNotified e) {
            out.add(e.cgroup());
        } else if (event instanceof RmdirRefused e) {
            out.add(e.cgroup());
        } else {
            throw new IllegalStateException("unhandled " + event);
        }
        out.remove(CgroupId.DEFAULT_ROOT);
        return out;
    }

    private static void taskCgroups(State s, Task t, Set<CgroupId> out) {
        if (t == null || s.cssSet(t.cssSet()) == null) {
            return;
        }
        for (Hierarchy h : s.realHierarchies()) {
            out.add(s.cgroupOf(t, h));
        }
    }

    private static void objectCgroup(State s, ChargedObject o, Set<CgroupId> out) {
        if (o != null) {
            cssCgroup(s, o.css(), out);
        }
    }

    private static void cssCgroup(State s, CssId id, Set<CgroupId> out) {
        Css c = s.css(id);
        if (c != null) {
            out.add(c.cgroup());
        }
    }
}
