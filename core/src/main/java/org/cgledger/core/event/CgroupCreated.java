package org.cgledger.core.event;

import java.util.List;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssSetKey;
import org.cgledger.core.model.HierarchyId;

/**
 * mkdir: a cgroup with one new css per bound subsystem; its directory takes a reference on its
 * own css_set (this cgroup here, the roots elsewhere).
 *
 * @param css the new css, in catalog order
 * @param createdKey the tuple of {@code ownSet} when this event creates it, else null
 */
public record CgroupCreated(CgroupId cgroup, HierarchyId hierarchy, CgroupId parent, String name, List<CssId> css,
                            CssSetId ownSet, CssSetKey createdKey) implements Event {
    public CgroupCreated {
        css = List.copyOf(css);
    }
}
