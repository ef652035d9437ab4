package org.cgledger.core.command;

import java.util.Objects;
import org.cgledger.core.model.Pid;

/** {@code uncharge OBJECT [--task PID]}: {@code task} null drops every hold. */
public record Uncharge(String object, Pid task) implements Command {
    public Uncharge {
        Objects.requireNonNull(object, "object");
    }
}
