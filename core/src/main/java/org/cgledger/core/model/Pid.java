package org.cgledger.core.model;

/** A task, by pid. Pid 1 exists from init on and never exits. */
public record Pid(int value) implements Comparable<Pid> {

    public static final Pid INIT = new Pid(1);

    /** The largest pid the kernel gives (PID_MAX_LIMIT on 64 bits, the ceiling of pid_max). */
    public static final int MAX = 4_194_304;

    /** Where the kernel's pid allocator starts again once it passed pid_max (RESERVED_PIDS). */
    public static final int WRAP = 300;

    public Pid {
        if (value <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + value);
        }
    }

    public static Pid of(int value) {
        return new Pid(value);
    }

    /**
     * Parses what a user writes to a {@code tasks} file as the kernel does
     * ({@code kstrtoint(strstrip(buf), 0)}): white space around it is dropped, a {@code +} sign is
     * allowed, {@code 0x} means hex and a leading {@code 0} octal. Text, a negative number, two
     * numbers or an int overflow: EINVAL. {@code 0} (the writer itself, which the model does not
     * have): EINVAL with its own reason.
     */
    public static Result<Pid> parse(String text) {
        String t = text.strip();
        String stripped = t;
        if (t.startsWith("+")) {
            t = t.substring(1);
        }
        int radix = 10;
        String digits = t;
        if (t.length() > 2 && (t.startsWith("0x") || t.startsWith("0X"))) {
            radix = 16;
            digits = t.substring(2);
        } else if (t.length() > 1 && t.startsWith("0")) {
            radix = 8;
            digits = t.substring(1);
        }
        if (digits.isEmpty() || digits.length() > 40) {
            return Result.refused(Errno.EINVAL, "'" + stripped + "' is not one pid");
        }
        long v = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), radix);
            if (d < 0 || digits.charAt(i) > 'z') {
                return Result.refused(Errno.EINVAL, "'" + stripped + "' is not one pid");
            }
            v = v * radix + d;
            if (v > Integer.MAX_VALUE) {
                return Result.refused(Errno.EINVAL, "'" + stripped + "' does not fit a pid");
            }
        }
        if (v == 0) {
            return Result.refused(Errno.EINVAL, "pid 0 means the writing task itself, which the model does not have");
        }
        return Result.ok(new Pid((int) v));
    }

    @Override
    public int compareTo(Pid o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pid other && other.value == value;
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
