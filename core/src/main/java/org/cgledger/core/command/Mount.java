package org.cgledger.core.command;

import java.util.Objects;

/** {@code mount -t cgroup -o OPTIONS none MOUNTPOINT}. */
public record Mount(String options, String mountPoint) implements Command {
    public Mount {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(mountPoint, "mountPoint");
    }
}
