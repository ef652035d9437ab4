package org.cgledger.core.event;

import java.util.List;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssSetKey;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.Subsystem;

/**
 * A new hierarchy was mounted: its subsystems move from the default hierarchy with their root css,
 * every task sits in its root, and the root directory takes a reference on its css_set.
 *
 * @param name the {@code name=} option or the empty string
 * @param rootSet the css_set of all root css, which the root directory holds
 * @param createdKey the tuple of {@code rootSet} when this event creates it, else null
 */
public record HierarchyMounted(HierarchyId hierarchy, String name, List<Subsystem> subsystems, String mountPoint,
                               CgroupId root, CssSetId rootSet, CssSetKey createdKey) implements Event {
    public HierarchyMounted {
        subsystems = List.copyOf(subsystems);
    }
}
