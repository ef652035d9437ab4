package org.cgledger.core.model;

import java.util.Optional;

/** A css_set (the seed's nsproxy): {@code N<n>}, serial never reused; N0 is the initial set. */
public record CssSetId(long serial) implements Comparable<CssSetId> {

    public static final CssSetId INITIAL = new CssSetId(0);

    public static Optional<CssSetId> parse(String text) {
        // ASCII digits, no leading zero, as CssId.parse reads a css: 'N06' and 'N٦' are no css_set's name
        if (text.length() < 2 || text.length() > 19 || text.charAt(0) != 'N'
                || !text.substring(1).chars().allMatch(ch -> ch >= '0' && ch <= '9')
                || text.length() > 2 && text.charAt(1) == '0') {
            return Optional.empty();
        }
        return Optional.of(new CssSetId(Long.parseLong(text.substring(1))));
    }

    @Override
    public int compareTo(CssSetId o) {
        return Long.compare(serial, o.serial);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CssSetId other && other.serial == serial;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(serial);
    }

    @Override
    public String toString() {
        return "N" + serial;
    }
}
