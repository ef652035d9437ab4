package org.cgledger.cli.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Compares one script's two runs: every line both sides ran, then each hierarchy's final tree. Pure. */
public final class Comparison {

    private Comparison() {
    }

    public static ScriptReport compare(String scenario, List<LineResult> lines, Snapshot model, Snapshot kernel,
                                       Deviations deviations, long millis) {
        List<Divergence> found = new ArrayList<>();
        for (LineResult l : lines) {
            if (l.compared() && !l.agrees()) {
                String where = Integer.toString(l.number());
                found.add(new Divergence(scenario, where, l.text(), l.model().describe(), l.kernel().describe(),
                        deviations.reason(scenario, where)));
            }
        }
        Set<String> names = new TreeSet<>(model.hierarchies().keySet());
        names.addAll(kernel.hierarchies().keySet());
        for (String name : names) {
            if (!model.describe(name).equals(kernel.describe(name))) {
                found.add(new Divergence(scenario, "tree", "hierarchy name=" + name, model.describe(name),
                        kernel.describe(name), deviations.reason(scenario, "tree")));
            }
        }
        return new ScriptReport(scenario, lines, model, kernel, found, millis);
    }
}
