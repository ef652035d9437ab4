package org.cgledger.core.model;

/** A cgroup's unique id, never reused (the root of the default hierarchy is 0). */
public record CgroupId(long value) implements Comparable<CgroupId> {

    public static final CgroupId DEFAULT_ROOT = new CgroupId(0);

    @Override
    public int compareTo(CgroupId o) {
        return Long.compare(value, o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CgroupId other && other.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return "#" + value;
    }
}
