package org.cgledger.cli.conformance;

import java.util.List;

/** One script's run on both sides: every line, the final snapshots, the divergences, the time taken. */
public record ScriptReport(String scenario, List<LineResult> lines, Snapshot model, Snapshot kernel,
                           List<Divergence> divergences, long millis) {

    public ScriptReport {
        lines = List.copyOf(lines);
        divergences = List.copyOf(divergences);
    }

    /** Whether the model and the kernel agree everywhere (listed deviations are still divergences). */
    public boolean agrees() {
        return divergences.isEmpty();
    }

    /** Whether every divergence is a deliberate one listed in DEVIATIONS.md. */
    public boolean onlyListed() {
        return divergences.stream().allMatch(Divergence::listed);
    }

    public long linesCompared() {
        return lines.stream().filter(LineResult::compared).count();
    }

    public long linesAgreeing() {
        return lines.stream().filter(LineResult::agrees).count();
    }

    public long linesModelOnly() {
        return lines.stream().filter(l -> !l.kernel().ran()).count();
    }
}
