package org.cgledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cgledger.cli.conformance.Conformance;
import org.cgledger.cli.conformance.Deviations;
import org.cgledger.cli.conformance.Divergence;
import org.cgledger.cli.conformance.KernelSide;
import org.cgledger.cli.conformance.LineResult;
import org.cgledger.cli.conformance.ScriptReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conformance SCRIPT...}: runs each sh script on a fresh in-memory model and on real cgroup
 * v1 hierarchies (root only), and reports every divergence. Exit 0 when all agree (divergences
 * listed in {@code --deviations} allowed), 1 on a divergence, 2 usage, 77 when the kernel side
 * cannot run here (one line says why).
 */
@Command(name = "conformance", description = {
        "Run sh scripts on the model and on the live kernel's cgroup v1, line by line, and report every divergence.",
        "Compared: each line's outcome (ok or the errno), then each scenario hierarchy's tree and the tasks of every "
                + "cgroup.",
        "The kernel side (root only) mounts new named 'none' hierarchies in fresh /tmp directories, runs the "
                + "script's pids as sleep processes it starts, and cleans everything up. Lines the kernel cannot "
                + "express (charge, uncharge, limits, controllers) run on the model only and are marked so."},
        footerHeading = "%nExample:%n", footer = {
        "  sudo cgledger conformance --deviations examples/conformance/DEVIATIONS.md examples/conformance/*.sh",
        "",
        "Exit codes: 0 all agree (or every divergence is listed in --deviations), 1 a divergence, 2 usage,",
        "77 the kernel side cannot run here (not root, no cgroup v1, mount refused)."})
final class ConformanceCmd implements Callable<Integer> {

    /** Exit code when the kernel side cannot run on this machine (automake's "skipped"). */
    static final int UNAVAILABLE = 77;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(names = "--deviations", paramLabel = "FILE",
            description = "DEVIATIONS.md: divergences it lists as deliberate are reported but do not fail the run.")
    Path deviations;

    @Parameters(arity = "1..*", paramLabel = "SCRIPT", description = "sh scripts (model-side names: /H1, name=h1, pid 1).")
    List<Path> scripts;

    private final CliContext cli;

    ConformanceCmd(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        boolean json = global.json || cli.rootOptions.json;
        Out out = new Out(cli, json, 0);
        if (global.ledger != null || global.inMemory || cli.rootOptions.ledger != null || cli.rootOptions.inMemory) {
            // it runs each script on a fresh model of its own: a ledger named had been taken and ignored
            return out.usage("conformance", "it runs each script on a fresh in-memory model of its own, never on a "
                    + "ledger: give no --ledger or --in-memory");
        }
        for (Path s : scripts) {
            if (!Files.isReadable(s)) {
                return out.usage("conformance", s + ": No such file or directory");
            }
        }
        Deviations dev = Deviations.NONE;
        if (deviations != null) {
            try {
                dev = Deviations.read(deviations);
            } catch (IOException e) {
                return out.usage("conformance", deviations + ": " + org.cgledger.persistence.IoReasons.of(e));
            }
        }
        Optional<String> why = KernelSide.unavailable();
        if (why.isPresent()) {
            if (json) {
                out.emit(out.okNode().put("ok", false).put("error", "unavailable").put("reason", why.get()));
            } else {
                cli.err.println("conformance: kernel side unavailable: " + why.get());
            }
            return UNAVAILABLE;
        }
        long start = System.nanoTime();
        List<ScriptReport> reports = new ArrayList<>();
        for (Path s : scripts) {
            ScriptReport r;
            try {
                r = Conformance.run(s, ModelSide::new, KernelSide::open, dev);
            } catch (IOException e) {
                return out.usage("conformance", s + ": " + org.cgledger.persistence.IoReasons.of(e));
            }
            reports.add(r);
            if (json) {
                out.emit(toJson(out, r));
            } else {
                print(r);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long agree = reports.stream().filter(ScriptReport::agrees).count();
        long unlisted = reports.stream().filter(r -> !r.onlyListed()).count();
        long compared = reports.stream().mapToLong(ScriptReport::linesCompared).sum();
        long same = reports.stream().mapToLong(ScriptReport::linesAgreeing).sum();
        long modelOnly = reports.stream().mapToLong(ScriptReport::linesModelOnly).sum();
        if (json) {
            ObjectNode n = out.okNode().put("ok", unlisted == 0).put("scripts", reports.size())
                    .put("scriptsAgreeing", agree).put("scriptsWithUnlistedDivergences", unlisted)
                    .put("linesCompared", compared).put("linesAgreeing", same).put("linesModelOnly", modelOnly)
                    .put("millis", millis);
            out.emit(n);
        } else {
            cli.out.printf("summary: %d/%d scripts agree (%d with unlisted divergences); lines %d/%d agree, "
                    + "%d model only; %.1f s%n", agree, reports.size(), unlisted, same, compared, modelOnly,
                    millis / 1000.0);
        }
        return unlisted == 0 ? 0 : CgLedger.REFUSED;
    }

    /** One script's report, its script's text and the answers with their control characters as escapes (Out#visible). */
    private void print(ScriptReport r) {
        String verdict = r.agrees() ? "agree" : r.onlyListed() ? "diverge (all listed as deliberate)" : "DIVERGE";
        cli.out.printf("%s: %s (%d/%d lines agree, %d model only) %d ms%n", Out.visible(r.scenario()), verdict,
                r.linesAgreeing(), r.linesCompared(), r.linesModelOnly(), r.millis());
        for (LineResult l : r.lines()) {
            if (!l.kernel().ran()) {
                cli.out.printf("  line %d: %s: %s%n", l.number(), Out.visible(l.text().strip()),
                        Out.visible(l.kernel().note()));
            }
        }
        for (Divergence d : r.divergences()) {
            cli.out.printf("  %s %s: %s%n    model:  %s%n    kernel: %s%n", d.where().equals("tree") ? "" : "line",
                    d.where(), Out.visible(d.text().strip()), Out.visible(d.model()), Out.visible(d.kernel()));
            if (d.listed()) {
                cli.out.printf("    deliberate (DEVIATIONS.md): %s%n", Out.visible(d.listedReason()));
            }
        }
    }

    private static ObjectNode toJson(Out out, ScriptReport r) {
        ObjectNode n = out.okNode().put("ok", r.onlyListed()).put("script", r.scenario())
                .put("verdict", r.agrees() ? "agree" : r.onlyListed() ? "deviations" : "diverge")
                .put("linesCompared", r.linesCompared()).put("linesAgreeing", r.linesAgreeing())
                .put("linesModelOnly", r.linesModelOnly()).put("millis", r.millis());
        ArrayNode lines = n.putArray("lines");
        for (LineResult l : r.lines()) {
            ObjectNode x = lines.addObject().put("line", l.number()).put("text", l.text());
            x.put("model", l.model().describe());
            x.put("kernel", l.kernel().describe());
            x.put("modelOnly", !l.kernel().ran());
            x.put("agree", l.agrees());
        }
        ArrayNode ds = n.putArray("divergences");
        for (Divergence d : r.divergences()) {
            ObjectNode x = ds.addObject().put("where", d.where()).put("text", d.text()).put("model", d.model())
                    .put("kernel", d.kernel());
            if (d.listed()) {
                x.put("deliberate", d.listedReason());
            }
        }
        return n;
    }
}
