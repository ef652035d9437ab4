package org.cgledger.cli.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cgledger.cli.Tokens;

/**
 * Runs one script on a fresh model and on the kernel, line by line, and compares them. Blank lines
 * and comments run nowhere; {@code exit} without a pid (or {@code quit}) ends the script on both.
 */
public final class Conformance {

    /** The one word a line that cannot be parsed is given: its model side says why, its kernel side runs nothing. */
    static final String UNPARSABLE = "\u0000unparsable";

    private Conformance() {
    }

    /** Runs {@code script}: a new side from each supplier, both closed (the kernel's cleaned up) whatever happens. */
    public static ScriptReport run(Path script, Supplier<Side> model, Supplier<Side> kernel, Deviations deviations)
            throws IOException {
        // the lines as sh reads them (a lone CR is part of a line)
        List<String> text = org.cgledger.cli.ScriptLines.of(script);
        String scenario = script.getFileName().toString();
        long start = System.nanoTime();
        List<LineResult> lines = new ArrayList<>();
        try (Side m = model.get(); Side k = kernel.get()) {
            for (int i = 0; i < text.size(); i++) {
                String t = text.get(i);
                List<String> words;
                try {
                    words = Tokens.split(t);
                } catch (RuntimeException e) {
                    words = List.of(UNPARSABLE);
                }
                if (words.isEmpty()) {
                    continue;
                }
                if (words.equals(List.of("quit")) || words.equals(List.of("exit"))) {
                    break;
                }
                Outcome mo = m.run(i + 1, t, words);
                Outcome ko = k.run(i + 1, t, words);
                lines.add(new LineResult(i + 1, t, mo, ko));
            }
            Snapshot ms = m.snapshot(java.util.Set.of());
            Snapshot ks = k.snapshot(ms.hierarchies().keySet());
            long millis = (System.nanoTime() - start) / 1_000_000;
            return Comparison.compare(scenario, lines, ms, ks, deviations, millis);
        }
    }
}
