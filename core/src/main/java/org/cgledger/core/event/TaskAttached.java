package org.cgledger.core.event;

import java.util.List;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssSetKey;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;

/**
 * A task moved between cgroups of one hierarchy and was re-interned onto {@code toSet}.
 *
 * @param createdKey the tuple of {@code toSet} when this event creates it, else null
 * @param moved objects that moved with it ({@code move_charge_at_immigrate}): usage and pin
 */
public record TaskAttached(Pid pid, HierarchyId hierarchy, CgroupId from, CgroupId to, CssSetId fromSet,
                           CssSetId toSet, CssSetKey createdKey, List<ObjectName> moved) implements Event {
    public TaskAttached {
        moved = List.copyOf(moved);
    }
}
