package org.cgledger.core.command;

import java.util.Objects;

/** {@code umount MOUNTPOINT}. */
public record Umount(String mountPoint) implements Command {
    public Umount {
        Objects.requireNonNull(mountPoint, "mountPoint");
    }
}
