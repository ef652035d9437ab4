package org.cgledger.core.decide;

import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.HierarchyId;

/**
 * Unwinds a decision that is refused. Used only inside this package and always turned into a
 * {@link Decision.Rejected} value before {@link Decider#decide} returns.
 */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final Errno errno;
    final String reason;
    /** The existing, non-root cgroup whose refused rmdir is recorded; {@code null} to record nothing. */
    final CgroupId rmdirOf;
    /** That cgroup's hierarchy: the stream the record belongs to. */
    final HierarchyId stream;

    Refusal(Errno errno, String reason) {
        this(errno, reason, null, null);
    }

    private Refusal(Errno errno, String reason, CgroupId rmdirOf, HierarchyId stream) {
        super(errno + ": " + reason, null, false, false);
        this.errno = errno;
        this.reason = reason;
        this.rmdirOf = rmdirOf;
        this.stream = stream;
    }

    /** The same refusal, recorded as a refused rmdir of {@code cgroup} in {@code stream}. */
    Refusal recordedAsRmdirOf(CgroupId cgroup, HierarchyId stream) {
        return new Refusal(errno, reason, cgroup, stream);
    }
}
