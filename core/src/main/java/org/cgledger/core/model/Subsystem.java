package org.cgledger.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** A resource controller of the catalog ({@code A}, {@code memory}, {@code beancounter}). */
public record Subsystem(String name) implements Comparable<Subsystem> {

    private static final Pattern VALID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");

    public Subsystem {
        Objects.requireNonNull(name, "name");
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid subsystem name: " + name);
        }
    }

    /** A letter or underscore, then letters, digits or underscores; at most 32 characters. */
    public static boolean isValidName(String name) {
        return VALID.matcher(name).matches();
    }

    public static Subsystem of(String name) {
        return new Subsystem(name);
    }

    @Override
    public int compareTo(Subsystem o) {
        return name.compareTo(o.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subsystem other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
