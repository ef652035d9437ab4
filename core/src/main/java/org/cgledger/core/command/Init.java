package org.cgledger.core.command;

import java.util.List;
import java.util.Objects;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;

/** {@code init --subsys LIST --pin P --rmdir R}: fixes the catalog and the policies. */
public record Init(List<String> subsystems, PinPolicy pin, RmdirPolicy rmdir) implements Command {
    public Init {
        subsystems = List.copyOf(subsystems);
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(rmdir, "rmdir");
    }
}
