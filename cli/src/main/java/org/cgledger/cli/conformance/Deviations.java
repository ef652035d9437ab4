package org.cgledger.cli.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deliberate divergences, read from DEVIATIONS.md: every table row whose first cell names a
 * script ({@code | mount-stacked.sh | 3 | reason |}) lists one, the second cell being a line number
 * or {@code tree}. Everything else in the file is prose.
 */
public final class Deviations {

    public static final Deviations NONE = new Deviations(Map.of());

    private final Map<String, String> reasons;

    private Deviations(Map<String, String> reasons) {
        this.reasons = Map.copyOf(reasons);
    }

    public static Deviations parse(List<String> lines) {
        Map<String, String> m = new HashMap<>();
        for (String line : lines) {
            String t = line.strip();
            if (!t.startsWith("|")) {
                continue;
            }
            String[] cells = t.substring(1).split("\\|", -1);
            if (cells.length < 3) {
                continue;
            }
            String scenario = cells[0].strip().replace("`", "");
            if (!scenario.endsWith(".sh")) {
                continue;
            }
            m.put(key(scenario, cells[1].strip()), cells[2].strip());
        }
        return new Deviations(m);
    }

    public static Deviations read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** The reason {@code scenario} may diverge at {@code where} (a line number or {@code tree}), or null. */
    public String reason(String scenario, String where) {
        return reasons.get(key(scenario, where));
    }

    public int size() {
        return reasons.size();
    }

    private static String key(String scenario, String where) {
        return scenario + "\u0000" + where;
    }
}
