package org.cgledger.core.event;

import org.cgledger.core.model.Pid;

/** A task was forked: the child joins its parent's css_set and holds every object the parent holds. */
public record TaskForked(Pid parent, Pid child) implements Event {
}
