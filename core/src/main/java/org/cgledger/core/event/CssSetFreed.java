package org.cgledger.core.event;

import org.cgledger.core.model.CssSetId;

/** A css_set's refcount reached 0: it is freed and drops its css references. */
public record CssSetFreed(CssSetId cssSet) implements Event {
}
