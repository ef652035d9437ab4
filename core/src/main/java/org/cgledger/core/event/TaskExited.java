package org.cgledger.core.event;

import org.cgledger.core.model.Pid;

/** A task exited: it drops its css_set reference and all its holds. */
public record TaskExited(Pid pid) implements Event {
}
