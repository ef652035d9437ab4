package org.cgledger.core.event;

import org.cgledger.core.model.HierarchyId;

/**
 * A hierarchy without mount points or children went away: its subsystems return to the default
 * hierarchy and its root directory drops its css_set reference.
 */
public record HierarchyDestroyed(HierarchyId hierarchy) implements Event {
}
