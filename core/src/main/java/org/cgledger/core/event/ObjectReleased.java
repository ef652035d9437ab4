package org.cgledger.core.event;

import org.cgledger.core.model.ObjectName;

/** An object was released: its last holds go, usage falls on its css and ancestors, its pin drops. */
public record ObjectReleased(ObjectName object) implements Event {
}
