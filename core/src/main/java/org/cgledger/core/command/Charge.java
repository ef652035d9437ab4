package org.cgledger.core.command;

import java.util.Objects;
import org.cgledger.core.model.Pid;

/** {@code charge PID SUBSYS OBJECT [--amount N] [--cache]}. */
public record Charge(Pid pid, String subsys, String object, long amount, boolean cache) implements Command {
    public Charge {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(subsys, "subsys");
        Objects.requireNonNull(object, "object");
    }
}
