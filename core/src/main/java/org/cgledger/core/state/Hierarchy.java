package org.cgledger.core.state;

import java.util.List;
import java.util.Objects;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.Subsystem;

/**
 * A hierarchy: a tree of cgroups with zero or more subsystems bound. Mounted at one or more mount
 * points; with none it is detached (umounted with children, kept until mounted again by name).
 *
 * @param name the {@code name=} option, or the empty string
 * @param subsystems the bound subsystems, in catalog order
 * @param mountPoints in the order they were added; empty when detached
 */
public record Hierarchy(HierarchyId id, String name, List<Subsystem> subsystems, List<String> mountPoints,
                        CgroupId root) {

    public Hierarchy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        subsystems = List.copyOf(subsystems);
        mountPoints = List.copyOf(mountPoints);
        Objects.requireNonNull(root, "root");
    }

    public boolean isDefault() {
        return id.isDefault();
    }

    public boolean isDetached() {
        return !isDefault() && mountPoints.isEmpty();
    }

    public boolean hasSubsystems() {
        return !subsystems.isEmpty();
    }

    /** How a person names it: its first mount point, else {@code name=N}, else its id. */
    public String label() {
        if (!mountPoints.isEmpty()) {
            return mountPoints.get(0);
        }
        if (!name.isEmpty()) {
            return "name=" + name;
        }
        return isDefault() ? "(default)" : "hierarchy " + id;
    }

    public Hierarchy withSubsystems(List<Subsystem> s) {
        return new Hierarchy(id, name, s, mountPoints, root);
    }

    public Hierarchy withMountPoints(List<String> m) {
        return new Hierarchy(id, name, subsystems, m, root);
    }
}
