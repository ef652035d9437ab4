package org.cgledger.core.state;

import java.util.Objects;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.util.PSet;

/**
 * A task: its css_set (which names its cgroup in every hierarchy) and the objects it holds.
 *
 * @param forkedAt the ledger-wide number of the event that forked it (for pid 1, the init's), which
 *                 tells a task apart from one that had its pid before it, exited, and was forked again
 *                 with the same pid; 0: not known (a task restored from a model snapshot an earlier build
 *                 wrote, which did not keep it: {@link #UNKNOWN})
 */
public record Task(Pid pid, CssSetId cssSet, PSet<ObjectName> holds, long forkedAt) {

    /** {@link #forkedAt} of a task whose fork event is not known. */
    public static final long UNKNOWN = 0;

    public Task {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(cssSet, "cssSet");
        Objects.requireNonNull(holds, "holds");
    }

    public Task withCssSet(CssSetId s) {
        return new Task(pid, s, holds, forkedAt);
    }

    public Task withHolds(PSet<ObjectName> h) {
        return new Task(pid, cssSet, h, forkedAt);
    }

    /**
     * Whether {@code other}, a task with the same pid at another point of the same ledger, is
     * another task: forked by another event. A task whose fork event is not known is taken for the
     * same as any task with its pid, as before the model kept it.
     */
    public boolean otherThan(Task other) {
        return forkedAt != UNKNOWN && other.forkedAt != UNKNOWN && forkedAt != other.forkedAt;
    }
}
