package org.cgledger.core.model;

/** What a charged object references (DESIGN.md §2, policy {@code pin}). */
public enum PinPolicy {
    /** The object pins the css it is charged to (Vaddagiri's reply, and what the kernel does). */
    CSS,
    /** The object pins the charging task's whole css_set (the variant Menage shows to be wrong). */
    CSSSET;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
