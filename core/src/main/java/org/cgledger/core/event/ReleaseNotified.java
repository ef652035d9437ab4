package org.cgledger.core.event;

import org.cgledger.core.model.CgroupId;

/**
 * A cgroup with notify_on_release lost its last task or last child: the kernel would run the
 * release agent now. Changes no state.
 */
public record ReleaseNotified(CgroupId cgroup) implements Event {
}
