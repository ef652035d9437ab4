package org.cgledger.core.model;

/** A hierarchy's id, never reused. 0 is the default hierarchy, which holds unbound subsystems. */
public record HierarchyId(int value) implements Comparable<HierarchyId> {

    public static final HierarchyId DEFAULT = new HierarchyId(0);

    public boolean isDefault() {
        return value == 0;
    }

    @Override
    public int compareTo(HierarchyId o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HierarchyId other && other.value == value;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
