package org.cgledger.core.event;

import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.Limit;

/** {@code echo V > PATH/SUBSYS.limit}. */
public record LimitSet(CgroupId cgroup, CssId css, Limit limit) implements Event {
}
