package org.cgledger.core.model;

/** The life of a css. */
public enum CssState {
    /** Its cgroup exists. */
    ONLINE,
    /** Its cgroup was removed (policy offline or strict); released when its last reference goes. */
    DYING,
    /** Its cgroup was removed under policy unchecked while still referenced: a leak only the audit sees. */
    UNREACHABLE,
    /** Gone: its cgroup is removed and nothing references it (the kernel's cgroup_release). */
    RELEASED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
