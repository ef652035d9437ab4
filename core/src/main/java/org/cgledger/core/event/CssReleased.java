package org.cgledger.core.event;

import org.cgledger.core.model.CssId;

/** An offline css lost its last reference (and its last child css): released (the kernel's cgroup_release). */
public record CssReleased(CssId css) implements Event {
}
