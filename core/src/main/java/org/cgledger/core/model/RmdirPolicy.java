package org.cgledger.core.model;

/** What rmdir does with a group whose css are still referenced (DESIGN.md §2, policy {@code rmdir}). */
public enum RmdirPolicy {
    /** Menage: EBUSY while any css of the group would stay referenced, so the pins stay visible. */
    STRICT,
    /** Today's kernel: succeeds; the css go offline (dying) until their last pin goes. */
    OFFLINE,
    /** The nsproxy patch as proposed: succeeds on task count alone; pinned css become unreachable. */
    UNCHECKED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
