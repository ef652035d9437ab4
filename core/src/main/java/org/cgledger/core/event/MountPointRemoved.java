package org.cgledger.core.event;

import org.cgledger.core.model.HierarchyId;

/** A mount point was unmounted; a hierarchy left with none and with children is detached. */
public record MountPointRemoved(HierarchyId hierarchy, String mountPoint) implements Event {
}
