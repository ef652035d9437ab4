package org.cgledger.replay;

import java.util.stream.Collectors;
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

/**
 * One line per event in cgroupfs words ({@code attach task 1 /H1 -> /H1/foo (N0 -> N3)}), from the
 * event alone and the cgroup names: the same line whether computed from an index or a full replay.
 */
public final class Describe {

    private Describe() {
    }

    public static String event(Event event, Names names) {
        if (event instanceof LedgerInitialized e) {
            return "init --subsys " + e.subsystems().stream().map(Object::toString).collect(Collectors.joining(","))
                    + " --pin " + e.pin().name().toLowerCase() + " --rmdir " + e.rmdir().name().toLowerCase();
        } else if (event instanceof HierarchyMounted e) {
            return "mount hierarchy " + e.hierarchy() + " (" + (e.subsystems().isEmpty() ? "none"
                    : e.subsystems().stream().map(Object::toString).collect(Collectors.joining(",")))
                    + (e.name().isEmpty() ? "" : ",name=" + e.name()) + ") on " + e.mountPoint() + ", root holds "
                    + e.rootSet();
        } else if (event instanceof MountPointAdded e) {
            return "mount point " + e.mountPoint() + " added to hierarchy " + e.hierarchy();
        } else if (event instanceof MountPointRemoved e) {
            return "umount " + e.mountPoint() + " (hierarchy " + e.hierarchy() + ")";
        } else if (event instanceof HierarchyDestroyed e) {
            return "hierarchy " + e.hierarchy() + " destroyed";
        } else if (event instanceof CgroupCreated e) {
            return "mkdir " + names.path(e.cgroup()) + " (cgroup " + e.cgroup() + ", " + (e.css().isEmpty() ? "no css"
                    : "css " + e.css().stream().map(Object::toString).collect(Collectors.joining(","))) + ", holds "
                    + e.ownSet() + (e.createdKey() != null ? ", new" : "") + ")";
        } else if (event instanceof CgroupRemoved e) {
            return "rmdir " + names.path(e.cgroup()) + " (cgroup " + e.cgroup() + ")";
        } else if (event instanceof TaskAttached e) {
            return "attach task " + e.pid() + " " + names.path(e.from()) + " -> " + names.path(e.to()) + " ("
                    + e.fromSet() + " -> " + e.toSet() + (e.createdKey() != null ? " new" : "")
                    + (e.moved().isEmpty() ? "" : ", moved " + e.moved().stream().map(Object::toString)
                    .collect(Collectors.joining(","))) + ")";
        } else if (event instanceof TaskForked e) {
            return "fork task " + e.parent() + " -> " + e.child();
        } else if (event instanceof TaskExited e) {
            return "exit task " + e.pid();
        } else if (event instanceof ObjectCharged e) {
            return "charge " + e.object() + " (" + e.subsys() + ", " + e.amount() + (e.cache() ? ", cache" : "")
                    + ") to " + e.css() + " by task " + e.pid() + (e.pinnedSet() != null ? ", pins " + e.pinnedSet() : "");
        } else if (event instanceof HoldDropped e) {
            return "uncharge " + e.object() + " --task " + e.pid() + " (hold dropped)";
        } else if (event instanceof ObjectReleased e) {
            return e.object() + " released (no holder left)";
        } else if (event instanceof CssSetFreed e) {
            return e.cssSet() + " freed";
        } else if (event instanceof CssReleased e) {
            return e.css() + " released";
        } else if (event instanceof LimitSet e) {
            return "set " + names.path(e.cgroup()) + " " + e.css().subsys() + ".limit " + e.limit();
        } else if (event instanceof MoveChargeSet e) {
            return "set " + names.path(e.cgroup()) + " " + e.subsys() + ".move_charge_at_immigrate "
                    + (e.enabled() ? 1 : 0);
        } else if (event instanceof NotifyOnReleaseSet e) {
            return "set " + names.path(e.cgroup()) + " notify_on_release " + (e.enabled() ? 1 : 0);
        } else if (event instanceof ReleaseNotified e) {
            return "release notification for " + names.path(e.cgroup());
        } else if (event instanceof RmdirRefused e) {
            return "rmdir refused: " + e.errno() + " (" + e.reason() + ")";
        }
        throw new IllegalStateException("unhandled " + event);
    }

    /** The event's type name ({@code TaskAttached}). */
    public static String type(Event event) {
        return event.getClass().getSimpleName();
    }
}
