package org.cgledger.core.command;

import java.util.Objects;

/** {@code rmdir PATH}. */
public record Rmdir(String path) implements Command {
    public Rmdir {
        Objects.requireNonNull(path, "path");
    }
}
