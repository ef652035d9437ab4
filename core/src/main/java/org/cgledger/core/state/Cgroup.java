package org.cgledger.core.state;

import java.util.List;
import java.util.Objects;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.util.IdSet;
import org.cgledger.core.util.PMap;
import org.cgledger.core.util.PSet;

/**
 * A cgroup directory. A removed cgroup stays in the state (with {@code removed}) while any of its
 * css is not yet released, so dying css keep a path.
 *
 * @param parent null for a hierarchy's root
 * @param children live children by name
 * @param tasks tasks attached here (not tracked for the default hierarchy's root)
 * @param css one per subsystem bound to the hierarchy, in catalog order
 * @param ownSet the css_set this directory holds a reference on; null for the default root
 * @param moveCharge the subsystems whose {@code move_charge_at_immigrate} is 1
 */
public record Cgroup(CgroupId id, HierarchyId hierarchy, CgroupId parent, String name,
                     PMap<String, CgroupId> children, IdSet<Pid> tasks, List<CssId> css, CssSetId ownSet,
                     boolean notifyOnRelease, PSet<Subsystem> moveCharge, boolean removed) {

    public Cgroup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hierarchy, "hierarchy");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(children, "children");
        Objects.requireNonNull(tasks, "tasks");
        css = List.copyOf(css);
        Objects.requireNonNull(moveCharge, "moveCharge");
    }

    public boolean isRoot() {
        return parent == null;
    }

    public Cgroup withChildren(PMap<String, CgroupId> c) {
        return new Cgroup(id, hierarchy, parent, name, c, tasks, css, ownSet, notifyOnRelease, moveCharge, removed);
    }

    public Cgroup withTasks(IdSet<Pid> t) {
        return new Cgroup(id, hierarchy, parent, name, children, t, css, ownSet, notifyOnRelease, moveCharge, removed);
    }

    public Cgroup withCss(List<CssId> c) {
        return new Cgroup(id, hierarchy, parent, name, children, tasks, c, ownSet, notifyOnRelease, moveCharge, removed);
    }

    public Cgroup withNotifyOnRelease(boolean n) {
        return new Cgroup(id, hierarchy, parent, name, children, tasks, css, ownSet, n, moveCharge, removed);
    }

    public Cgroup withMoveCharge(PSet<Subsystem> m) {
        return new Cgroup(id, hierarchy, parent, name, children, tasks, css, ownSet, notifyOnRelease, m, removed);
    }

    public Cgroup asRemoved() {
        return new Cgroup(id, hierarchy, parent, name, children, tasks, css, ownSet, notifyOnRelease, moveCharge, true);
    }
}
