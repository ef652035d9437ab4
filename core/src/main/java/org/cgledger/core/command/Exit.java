package org.cgledger.core.command;

import java.util.Objects;
import org.cgledger.core.model.Pid;

/** {@code exit PID}. */
public record Exit(Pid pid) implements Command {
    public Exit {
        Objects.requireNonNull(pid, "pid");
    }
}
