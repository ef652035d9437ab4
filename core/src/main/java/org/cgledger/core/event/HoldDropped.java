package org.cgledger.core.event;

import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;

/** uncharge --task: one task let go of an object. */
public record HoldDropped(ObjectName object, Pid pid) implements Event {
}
