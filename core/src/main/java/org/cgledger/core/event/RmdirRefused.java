package org.cgledger.core.event;

import java.util.Objects;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.Errno;

/**
 * rmdir of this cgroup was refused; changes no state but the event count. Recorded so that a
 * cgroup's history shows the rmdir attempts that failed and why.
 *
 * @param errno  the errno the rmdir failed with ({@code EBUSY})
 * @param reason what blocked it (tasks, children, a css still pinned)
 */
public record RmdirRefused(CgroupId cgroup, Errno errno, String reason) implements Event {
    public RmdirRefused {
        Objects.requireNonNull(cgroup, "cgroup");
        Objects.requireNonNull(errno, "errno");
        Objects.requireNonNull(reason, "reason");
    }
}
