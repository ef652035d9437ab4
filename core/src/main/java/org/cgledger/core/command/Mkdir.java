package org.cgledger.core.command;

import java.util.Objects;

/** {@code mkdir [-p] PATH}. */
public record Mkdir(String path, boolean parents) implements Command {
    public Mkdir {
        Objects.requireNonNull(path, "path");
    }
}
