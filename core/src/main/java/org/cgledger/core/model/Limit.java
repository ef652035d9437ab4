package org.cgledger.core.model;

import java.util.Optional;

/** A usage limit on a css: a non-negative amount, or {@code max} (no limit). */
public record Limit(long value) {

    public static final Limit MAX = new Limit(Long.MAX_VALUE);

    /** The largest number a limit is written as: 18 digits, so that it never reads as {@code max}. */
    public static final long LARGEST = 999_999_999_999_999_999L;

    public Limit {
        if (value < 0) {
            throw new IllegalArgumentException("negative limit: " + value);
        }
    }

    public boolean isMax() {
        return value == Long.MAX_VALUE;
    }

    /** Whether {@code usage} fits under this limit. */
    public boolean admits(long usage) {
        return usage <= value;
    }

    /** {@code max} or a non-negative decimal number; anything else is empty (EINVAL). */
    public static Optional<Limit> parse(String text) {
        String t = text.strip();
        if (t.equals("max")) {
            return Optional.of(MAX);
        }
        if (t.isEmpty() || t.length() > Long.toString(LARGEST).length() || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(new Limit(Long.parseLong(t)));
    }

    @Override
    public String toString() {
        return isMax() ? "max" : Long.toString(value);
    }
}
