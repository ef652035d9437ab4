package org.cgledger.core.event;

import java.util.List;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.model.Subsystem;

/** The ledger began: the catalog and the policies; pid 1 on N0 with every root css. */
public record LedgerInitialized(List<Subsystem> subsystems, PinPolicy pin, RmdirPolicy rmdir) implements Event {
    public LedgerInitialized {
        subsystems = List.copyOf(subsystems);
    }
}
