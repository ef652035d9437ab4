package org.cgledger.core.event;

import org.cgledger.core.model.HierarchyId;

/** An existing hierarchy gained a mount point: a second one, or its first again after being detached. */
public record MountPointAdded(HierarchyId hierarchy, String mountPoint) implements Event {
}
