package org.cgledger.core.event;

import org.cgledger.core.model.CgroupId;

/** {@code echo 0|1 > PATH/notify_on_release}. */
public record NotifyOnReleaseSet(CgroupId cgroup, boolean enabled) implements Event {
}
