package org.cgledger.core.command;

import java.util.Objects;

/** {@code echo PID > PATH/tasks}: {@code pid} is the text written (EINVAL unless it is one pid). */
public record Attach(String pid, String path) implements Command {
    public Attach {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(path, "path");
    }
}
