package org.cgledger.core.event;

import org.cgledger.core.model.CgroupId;

/**
 * rmdir: the directory is gone and drops its own css_set reference; its css go offline (dying, or
 * unreachable under policy unchecked) until released.
 */
public record CgroupRemoved(CgroupId cgroup) implements Event {
}
