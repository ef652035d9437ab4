package org.cgledger.core.state;

import java.util.Objects;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.util.PSet;

/** A task: its css_set (which names its cgroup in every hierarchy) and the objects it holds. */
public record Task(Pid pid, CssSetId cssSet, PSet<ObjectName> holds) {

    public Task {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(cssSet, "cssSet");
        Objects.requireNonNull(holds, "holds");
    }

    public Task withCssSet(CssSetId s) {
        return new Task(pid, s, holds);
    }

    public Task withHolds(PSet<ObjectName> h) {
        return new Task(pid, cssSet, h);
    }
}
