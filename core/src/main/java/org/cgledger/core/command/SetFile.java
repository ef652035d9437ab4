package org.cgledger.core.command;

import java.util.Objects;

/**
 * {@code echo VALUE > PATH/FILE}: a limit, a flag, or (for {@code tasks} and {@code cgroup.procs})
 * an attach.
 */
public record SetFile(String path, String file, String value) implements Command {
    public SetFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(value, "value");
    }
}
