package org.cgledger.core.model;

/** A task, by pid. Pid 1 exists from init on and never exits. */
public record Pid(int value) implements Comparable<Pid> {

    public static final Pid INIT = new Pid(1);

    /**
     * The largest pid the kernel gives: one below PID_MAX_LIMIT (4194304 on 64 bits), the ceiling of
     * pid_max, as every pid is below pid_max (clone3(2) with set_tid 4194304 is EINVAL).
     */
    public static final int MAX = 4_194_303;

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
     * ({@code kstrtoint(strstrip(buf), 0)}, and a negative pid refused): {@link #kernelInt}.
     * Anything it reads no int from, a negative number: EINVAL. {@code 0} (the writer itself, which
     * the model does not have): EINVAL with its own reason.
     */
    public static Result<Pid> parse(String text) {
        // what nearly every attach writes, a plain decimal of at most 9 digits, read without the
        // general path's copies of the text (a tenth of an attach in a profile of the bench)
        int n = text.length();
        if (n <= 9 && n > 0 && text.charAt(0) >= '1' && text.charAt(0) <= '9') {
            int v = 0;
            int i = 0;
            for (; i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++) {
                v = v * 10 + (text.charAt(i) - '0');
            }
            if (i == n) {
                return Result.ok(new Pid(v));
            }
        }
        return parseAny(text);
    }

    /** {@link #parse} of any text, the plain decimals too. */
    static Result<Pid> parseAny(String text) {
        String stripped = strip(text);
        Long v = kernelInt(text);
        if (v == null) {
            return Result.refused(Errno.EINVAL, "'" + stripped + "' is not one pid");
        }
        if (v < 0) {
            return Result.refused(Errno.EINVAL, "'" + stripped + "' is negative: no pid");
        }
        if (v == 0) {
            return Result.refused(Errno.EINVAL, "pid 0 means the writing task itself, which the model does not have");
        }
        return Result.ok(new Pid(v.intValue()));
    }

    /**
     * The int the kernel reads from {@code text} with {@code kstrtoint(strstrip(buf), 0)}, or null
     * where it reads none: white space (space, tab, newline, vertical tab, form feed, carriage
     * return) dropped at both ends; then one {@code -}, or one {@code +}; then {@code 0x} and a hex
     * digit means hex, a leading {@code 0} octal, else decimal; any number of digits, at least one,
     * and nothing after them; a value past 64 bits, or past an int, reads none. The live kernel
     * takes {@code 000…0001} of any length (checked with 60 zeros) and {@code -0} as 0.
     */
    public static Long kernelInt(String text) {
        String t = strip(text);
        int i = 0;
        boolean negative = false;
        if (t.startsWith("-")) {
            negative = true;
            i = 1;
        } else if (t.startsWith("+")) {
            i = 1;
        }
        int radix = 10;
        if (t.startsWith("0x", i) || t.startsWith("0X", i)) {
            if (i + 2 < t.length() && Character.digit(t.charAt(i + 2), 16) >= 0 && t.charAt(i + 2) < 128) {
                radix = 16;
                i += 2;
            } else {
                radix = 8;
            }
        } else if (t.startsWith("0", i)) {
            radix = 8;
        }
        if (i == t.length()) {
            return null;
        }
        long v = 0;
        for (; i < t.length(); i++) {
            char c = t.charAt(i);
            int d = c < 128 ? Character.digit(c, radix) : -1;
            if (d < 0) {
                return null;
            }
            v = v * radix + d;
            if (v > Integer.MAX_VALUE + 1L) {
                return null; // past an int either way (the kernel's ERANGE, answered EINVAL)
            }
        }
        v = negative ? -v : v;
        return v > Integer.MAX_VALUE ? null : v;
    }

    /** The kernel's {@code strstrip}: its white space (not Java's wider idea of it) off both ends. */
    private static String strip(String text) {
        int a = 0;
        int b = text.length();
        while (a < b && isKernelSpace(text.charAt(a))) {
            a++;
        }
        while (b > a && isKernelSpace(text.charAt(b - 1))) {
            b--;
        }
        return text.substring(a, b);
    }

    /** Whether the kernel's {@code isspace} takes {@code c} (space, tab, newline, vertical tab, form feed, carriage return). */
    public static boolean isKernelSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
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
