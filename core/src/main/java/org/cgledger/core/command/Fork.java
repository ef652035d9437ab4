package org.cgledger.core.command;

import java.util.Objects;
import org.cgledger.core.model.Pid;

/** {@code fork PARENT [--pid N]}: {@code child} null takes the highest pid so far + 1. */
public record Fork(Pid parent, Pid child) implements Command {
    public Fork {
        Objects.requireNonNull(parent, "parent");
    }
}
