package org.cgledger.core.model;

import java.util.Collection;
import java.util.Optional;

/**
 * A cgroup subsystem state: {@code <subsys><n>}, with a per-subsystem serial; the root css is 0
 * ({@code A0}, {@code beancounter3}).
 */
public record CssId(Subsystem subsys, int serial) implements Comparable<CssId> {

    public static CssId root(Subsystem subsys) {
        return new CssId(subsys, 0);
    }

    public boolean isRoot() {
        return serial == 0;
    }

    /** Parses {@code A1} against a catalog (the longest subsystem name that prefixes it wins). */
    public static Optional<CssId> parse(String text, Collection<Subsystem> catalog) {
        CssId best = null;
        for (Subsystem s : catalog) {
            String n = s.name();
            if (text.length() > n.length() && text.startsWith(n)
                    && (best == null || n.length() > best.subsys().name().length())) {
                String digits = text.substring(n.length());
                if (digits.chars().allMatch(ch -> ch >= '0' && ch <= '9') && digits.length() < 10
                        && (digits.equals("0") || digits.charAt(0) != '0')) {
                    best = new CssId(s, Integer.parseInt(digits));
                }
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public int compareTo(CssId o) {
        int c = subsys.compareTo(o.subsys);
        return c != 0 ? c : Integer.compare(serial, o.serial);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CssId other && other.serial == serial && other.subsys.equals(subsys);
    }

    @Override
    public int hashCode() {
        return subsys.hashCode() * 31 + serial;
    }

    @Override
    public String toString() {
        return subsys.name() + serial;
    }
}
