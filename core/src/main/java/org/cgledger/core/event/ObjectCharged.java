package org.cgledger.core.event;

import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.Subsystem;

/**
 * An object was charged to the task's css: usage rises on it and its ancestors, and it pins the css
 * (pin=css) or the task's css_set (pin=cssset, {@code pinnedSet}).
 */
public record ObjectCharged(ObjectName object, Pid pid, Subsystem subsys, CssId css,
                            long amount, boolean cache, CssSetId pinnedSet) implements Event {
}
