package org.cgledger.core.event;

import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.Subsystem;

/** {@code echo 0|1 > PATH/SUBSYS.move_charge_at_immigrate}. */
public record MoveChargeSet(CgroupId cgroup, Subsystem subsys, boolean enabled) implements Event {
}
