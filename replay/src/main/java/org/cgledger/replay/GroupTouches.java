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
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssSetKey;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.ChargedObject;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;
import org.cgledger.core.state.Task;

/**
 * The cgroups an event touches, the key of the history index: the cgroup it creates, removes,
 * configures or notifies, or refused to remove; both ends of an attach; every cgroup (one per
 * hierarchy) of a task that forks or exits; the cgroup of the css a charge, uncharge or release
 * concerns; and every non-root cgroup whose counters (its css' refcounts and its own css_set's
 * refcount, which {@link History} shows) the event changes, from whichever hierarchy.
 *
 * <p>Those are found by the tuples of the css_sets whose refcounts the event changes: a css_set's
 * refcount counts for the group whose own css_set it is, and a css_set created or freed gets or
 * puts a reference on each css of its tuple. So an attach also touches the cgroups of the non-root
 * css (and, in hierarchies without subsystems, the cgroups listed: {@link CssSetKey#cgroups}) of
 * the css_set it leaves and of the one it joins (moving task 1 from {@code /H2} to {@code /H2/bar}
 * while it sits in {@code /H1/foo} creates N3 = (A1, B1), which raises A1: {@code /H1/foo}'s history
 * lists it); a css_set freed touches the cgroups of its tuple; under pin=cssset a charge, the
 * release of an object (which drops its pin) and an attach that moves a charge also touch the
 * cgroups of the css_set pinned or unpinned. Of a tuple's cgroups, only those whose counters the
 * event changed are touched (a task moving in another hierarchy between two live css_sets changes
 * no counter of its group here, unless one of them is that group's own css_set), or that the event
 * lets go (a removed group without css, which only a pinned css_set naming it kept).
 * The other events change no other group's counters: a mkdir's or rmdir's own css_set names only
 * that cgroup and roots; a fork or an exit changes the task's css_set, whose tuple names the task's
 * cgroups; a hold dropped changes no refcount (a release that follows is an event of its own);
 * mount, umount and a hierarchy's end concern only its root.
 *
 * <p>Roots are never touched through a tuple, only by the events that name them (a mount or
 * umount, an attach from or to a root, a charge, uncharge or release of a root css) and by a fork
 * or an exit of a task in them: root css are in nearly every css_set, so every attach would land
 * in every root's history and index rows. Default-hierarchy roots are left out (every task is there).
 */
public final class GroupTouches {

    private GroupTouches() {
    }

    /** The cgroups {@code event} touches, given the states around it. */
    public static Set<CgroupId> of(State before, Event event, State after) {
        Set<CgroupId> out = new LinkedHashSet<>();
        // the groups of the tuples involved: kept only where the event changed their counters
        Set<CgroupId> tuples = new LinkedHashSet<>();
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
            tupleCgroups(before, before.cssSet(e.fromSet()), tuples);
            tupleCgroups(after, after.cssSet(e.toSet()), tuples);
            for (ObjectName name : e.moved()) {
                // the css it leaves (whose pin it drops under pin=css), the css_set it unpins under pin=cssset
                ChargedObject o = before.object(name);
                objectCgroup(before, o, out);
                pinnedCgroups(before, o == null ? null : o.pinnedSet(), tuples);
            }
        } else if (event instanceof TaskForked e) {
            taskCgroups(before, before.task(e.parent()), out);
        } else if (event instanceof TaskExited e) {
            taskCgroups(before, before.task(e.pid()), out);
        } else if (event instanceof ObjectCharged e) {
            cssCgroup(after, e.css(), out);
            pinnedCgroups(after, e.pinnedSet(), tuples);
        } else if (event instanceof HoldDropped e) {
            objectCgroup(before, before.object(e.object()), out);
        } else if (event instanceof ObjectReleased e) {
            ChargedObject o = before.object(e.object());
            objectCgroup(before, o, out);
            pinnedCgroups(before, o == null ? null : o.pinnedSet(), tuples);
        } else if (event instanceof CssSetFreed e) {
            tupleCgroups(before, before.cssSet(e.cssSet()), tuples);
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
        for (CgroupId g : tuples) {
            // and a removed group the event lets go: one without css, kept by a pinned css_set
            // naming it, ends with that css_set's end (its history had no line for it)
            if (countersChanged(before, after, g) || before.cgroup(g) != null && after.cgroup(g) == null) {
                out.add(g);
            }
        }
        out.remove(CgroupId.DEFAULT_ROOT);
        return out;
    }

    /** Whether group {@code id}'s counters (its css' refcounts, its own css_set's) differ between the two states. */
    private static boolean countersChanged(State before, State after, CgroupId id) {
        Cgroup g = after.cgroup(id) != null ? after.cgroup(id) : before.cgroup(id);
        if (g == null) {
            return true;
        }
        for (CssId c : g.css()) {
            Css x = before.css(c);
            Css y = after.css(c);
            if ((x == null ? -1 : x.refcount()) != (y == null ? -1 : y.refcount())) {
                return true;
            }
        }
        if (g.ownSet() != null) {
            CssSet x = before.cssSet(g.ownSet());
            CssSet y = after.cssSet(g.ownSet());
            return (x == null ? -1 : x.refcount()) != (y == null ? -1 : y.refcount());
        }
        return false;
    }

    private static void taskCgroups(State s, Task t, Set<CgroupId> out) {
        if (t == null || s.cssSet(t.cssSet()) == null) {
            return;
        }
        for (Hierarchy h : s.realHierarchies()) {
            out.add(s.cgroupOf(t, h));
        }
    }

    /** The cgroups of css_set {@code pinned} (pin=cssset; null under pin=css, which pins a css instead). */
    private static void pinnedCgroups(State s, CssSetId pinned, Set<CgroupId> out) {
        if (pinned != null) {
            tupleCgroups(s, s.cssSet(pinned), out);
        }
    }

    /**
     * The non-root cgroups css_set {@code set}'s tuple names: the cgroup of each non-root css, and
     * in hierarchies without subsystems the cgroup listed ({@link CssSetKey#cgroups}, never a root).
     * Among them is every group whose own css_set {@code set} is.
     */
    private static void tupleCgroups(State s, CssSet set, Set<CgroupId> out) {
        if (set == null) {
            return;
        }
        CssSetKey key = set.key();
        for (int i = 0; i < key.size(); i++) {
            CssId c = key.css(i);
            if (!c.isRoot()) {
                cssCgroup(s, c, out);
            }
        }
        for (CssSetKey.Member m : key.cgroups()) {
            out.add(m.cgroup());
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
