package org.cgledger.core.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An absolute, normalized path ({@code /H1/foo/bar}): empty components and {@code .} dropped,
 * {@code ..} taken lexically (never above {@code /}).
 */
public record CgroupPath(List<String> components) {

    /** PATH_MAX: a path of this many bytes or more does not fit with its terminating NUL. */
    public static final int PATH_MAX = 4096;

    public static final CgroupPath ROOT = new CgroupPath(List.of());

    public CgroupPath {
        components = List.copyOf(components);
    }

    /**
     * Parses a user's path. Refuses a relative path (EINVAL) and a path of {@link #PATH_MAX} bytes
     * or more (ENAMETOOLONG). Like cgroupfs (kernfs), no limit on one component's length.
     */
    public static Result<CgroupPath> parse(String text) {
        if (text == null || !text.startsWith("/")) {
            return Result.refused(Errno.EINVAL, "path must be absolute: " + text);
        }
        if (text.length() * 3 >= PATH_MAX && text.getBytes(StandardCharsets.UTF_8).length >= PATH_MAX) {
            return Result.refused(Errno.ENAMETOOLONG, "path is " + PATH_MAX + " bytes or longer");
        }
        List<String> parts = new ArrayList<>();
        int n = text.length();
        for (int start = 1; start <= n; ) {
            int end = text.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            int len = end - start;
            if (len == 2 && text.charAt(start) == '.' && text.charAt(start + 1) == '.') {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else if (len > 0 && (len != 1 || text.charAt(start) != '.')) {
                parts.add(text.substring(start, end));
            }
            start = end + 1;
        }
        return Result.ok(new CgroupPath(parts));
    }

    public int depth() {
        return components.size();
    }

    public boolean isRoot() {
        return components.isEmpty();
    }

    /** The last component; the empty string for {@code /}. */
    public String name() {
        return components.isEmpty() ? "" : components.get(components.size() - 1);
    }

    public CgroupPath parent() {
        return components.isEmpty() ? this : new CgroupPath(components.subList(0, components.size() - 1));
    }

    public CgroupPath child(String name) {
        List<String> c = new ArrayList<>(components);
        c.add(name);
        return new CgroupPath(c);
    }

    /** The first {@code n} components. */
    public CgroupPath prefix(int n) {
        return new CgroupPath(components.subList(0, n));
    }

    public boolean startsWith(CgroupPath other) {
        return other.components.size() <= components.size()
                && components.subList(0, other.components.size()).equals(other.components);
    }

    @Override
    public String toString() {
        return "/" + String.join("/", components);
    }
}
