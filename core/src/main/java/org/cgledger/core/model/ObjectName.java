package org.cgledger.core.model;

import java.util.Objects;

/** A resource object charged to a css ({@code file:17}, {@code page:42}). */
public record ObjectName(String value) implements Comparable<ObjectName> {

    public ObjectName {
        Objects.requireNonNull(value, "value");
        if (!isValid(value)) {
            throw new IllegalArgumentException("invalid object name: " + value);
        }
    }

    /** Non-empty, at most 255 characters, no white space, no control characters, and Unicode text (no lone surrogate). */
    public static boolean isValid(String value) {
        if (value.isEmpty() || value.length() > 255) {
            return false;
        }
        for (int i = 0; i < value.length(); ) {
            char ch = value.charAt(i);
            if (ch > ' ' && ch < 0x7f) {
                // printable ASCII other than the space: the usual name, no code point to decode
                i++;
                continue;
            }
            int c = value.codePointAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSurrogate((char) c)) {
                return false; // (a lone surrogate: no UTF-8 text names it)
            }
            i += Character.charCount(c);
        }
        return true;
    }

    public static ObjectName of(String value) {
        return new ObjectName(value);
    }

    @Override
    public int compareTo(ObjectName o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectName other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
