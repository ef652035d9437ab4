package org.cgledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cgledger.cli.bench.Bench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench}: the ledger measured against its limits side by side, in one run. */
@Command(name = "bench", description = {"Measure cgledger against its limits side by side, in one run: core alone, "
        + "and its cost per kind of command vs the live kernel's own cgroup mkdir, task move and rmdir, and its time "
        + "per command counted in this machine's memory reads (each address from the one before); durable "
        + "writes (group commit) vs plain JDBC batched inserts and vs one persist per command; recovery vs a plain "
        + "JDBC scan and decode; open with a snapshot; a one-shot command as a new process vs the same on a small "
        + "ledger; audit; and one group's history. Builds a workload ledger in a scratch directory and deletes it "
        + "(--keep: keeps it).",
        "The kernel is timed only as root on a kernel with cgroup v1: the conformance harness mounts a new named "
        + "hierarchy in a temporary directory, moves only its own sleeper, and unmounts; otherwise those rows say "
        + "why it was not.",
        "The launcher runs the bench on the parallel (throughput) collector: core alone measured about 12%% faster "
        + "with it than with G1 here (G1's write barriers on every persistent update), and core alone in a JVM of its own, "
        + "with its heap sized at the start, a quarter of it young, and survivor spaces the collector does not "
        + "shrink, so that the older states core leaves behind die young (core alone 1.3-2.1 times as fast "
        + "here in CoreBench's runs; the rest of the bench ran slower so, and runs without). Its one-shot commands run as the "
        + "launcher runs them.",
        "Figures from a shared machine are noisy: compare the ratios of one run."},
        footerHeading = "%nExample:%n", footer = {"  cgledger bench --events 200000", "  cgledger bench --json"})
final class BenchCmd implements Callable<Integer> {

    @Option(names = "--events", paramLabel = "N", description = "Events in the workload ledger (default: 1000000).")
    long events = 1_000_000;

    @Option(names = "--dir", paramLabel = "DIR", description = "Scratch directory (default: a new temporary one).")
    Path dir;

    @Option(names = "--keep", description = "Keep the workload ledger (DIR/ledger of the scratch directory, named on "
            + "stderr) to run commands on afterwards.")
    boolean keep;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Show a stack trace for an internal error (a bug).")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and an example.")
    boolean help;

    private final CliContext cli;

    BenchCmd(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        cli.verbose |= verbose;
        boolean asJson = json || cli.rootOptions.json;
        Out out = new Out(cli, asJson, 0);
        if (cli.rootOptions.ledger != null || cli.rootOptions.inMemory) {
            // it builds a workload ledger of its own: 'cgledger --ledger L bench' had ignored L without a word
            return out.usage("bench", "it builds a workload ledger of its own in a scratch directory (--dir DIR), "
                    + "never on a ledger given: give no --ledger or --in-memory");
        }
        if (events < 10_000) {
            // a usage error, exit 2 (it had been thrown past picocli: 'internal error', exit 70)
            return out.usage("bench", "--events must be at least 10000");
        }
        String name = "cgledger-bench-" + ProcessHandle.current().pid();
        String unusable = dir == null ? null
                : org.cgledger.persistence.LedgerDirectory.unusable(dir.toAbsolutePath().resolve(name).resolve("ledger"));
        if (unusable != null) {
            // before anything is made or run (it was said after the kernel's part, exit 3)
            return out.usage("bench", "--dir " + dir + " cannot hold the workload ledger: "
                    + unusable);
        }
        Path scratch;
        try {
            scratch = dir != null ? Files.createDirectories(dir).resolve(name) : Files.createTempDirectory("cgledger-bench");
            Files.createDirectories(scratch);
        } catch (java.io.IOException e) {
            return out.usage("bench", "--dir " + dir + ": "
                    + org.cgledger.persistence.IoReasons.of(e));
        }
        // stopped by a signal, the bench leaves neither its scratch directory nor a process of its own
        // (a server it had started went on, holding the socket, and gigabytes stayed in /tmp)
        Thread cleanup = new Thread(() -> {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
            // the ledger's own exit hook closes it meanwhile, its files coming and going: tried again
            for (int i = 0; i < 20 && !keep && Files.exists(scratch); i++) {
                try {
                    Bench.delete(scratch);
                } catch (java.io.IOException e) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }, "cgledger-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Load load = new Load(Runtime.getRuntime().availableProcessors(), Load.now(), Double.NaN);
        List<Bench.Row> rows;
        try {
            rows = new Bench(scratch, Bench.Size.of(events), step -> {
                if (!asJson) {
                    cli.err.println("bench: " + step);
                    cli.err.flush();
                }
            }).run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException exiting) {
                // the hook runs
            }
            if (keep && !asJson) {
                cli.err.println("bench: the workload ledger is kept in " + Out.visible(scratch.resolve("ledger").toString()));
                cli.err.flush();
            } else if (!keep) {
                Bench.delete(scratch);
            }
        }
        load = new Load(load.cores(), load.start(), Load.now());
        if (asJson) {
            ObjectNode root = cli.mapper().createObjectNode().put("ok", true).put("events", events);
            root.put("cores", load.cores());
            if (!Double.isNaN(load.start()) && !Double.isNaN(load.end())) {
                root.put("loadStart", load.start()).put("loadEnd", load.end());
            }
            if (keep) {
                // (said on stderr in text; under --json nothing goes there)
                root.put("kept", scratch.resolve("ledger").toString());
            }
            ArrayNode arr = root.putArray("results");
            for (Bench.Row r : rows) {
                ObjectNode n = arr.addObject().put("what", r.what()).put("value", r.value()).put("unit", r.unit());
                if (!Double.isNaN(r.baseline())) {
                    n.put("baseline", r.baselineName()).put("baselineValue", r.baseline()).put("ratio", r.ratio());
                }
                if (!r.target().isEmpty()) {
                    n.put("target", r.target()).put("met", r.met());
                }
            }
            cli.out.println(cli.mapper().writeValueAsString(root));
        } else {
            text(cli.out, rows);
            cli.out.println(load.said());
        }
        cli.out.flush();
        return 0;
    }

    /**
     * The machine while the bench ran: its cores and the load average (1 minute) at the start and at
     * the end (NaN where {@code /proc/loadavg} cannot be read). A load above the cores at the start means
     * other work shared them, which slows every absolute figure; the ratios, measured side by side, less so.
     */
    record Load(int cores, double start, double end) {
        static double now() {
            try {
                return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            } catch (Exception unreadable) {
                return Double.NaN;
            }
        }

        String said() {
            if (Double.isNaN(start) || Double.isNaN(end)) {
                return String.format(Locale.ROOT, "machine: %d cores (load average unknown)", cores);
            }
            String said = String.format(Locale.ROOT, "machine: %d cores, load average %.2f at the start and %.2f at the end",
                    cores, start, end);
            // (the average at the end counts the bench's own threads of its last minute: the start's alone is other work)
            return start > cores
                    ? said + ": other work shared the cores, so the absolute figures are slowed; compare the ratios"
                    : said;
        }
    }

    /** The results as a table, a row a line: what, value, baseline, ratio, target and its verdict; columns as wide as their widest cell. */
    static void text(java.io.PrintWriter out, List<Bench.Row> rows) {
        int whatWidth = "measure".length();
        int baseWidth = "baseline".length();
        for (Bench.Row r : rows) {
            whatWidth = Math.max(whatWidth, r.what().length());
            baseWidth = Math.max(baseWidth, baseline(r).length());
        }
        String head = "%-" + whatWidth + "s %16s  %-" + baseWidth + "s %8s  %s%n";
        String row = "%-" + whatWidth + "s %,12.1f %-4s %-" + baseWidth + "s %8s  %s%n";
        out.printf(Locale.ROOT, head, "measure", "value", "baseline", "ratio", "target");
        for (Bench.Row r : rows) {
            String ratio = Double.isNaN(r.ratio()) ? "" : String.format(Locale.ROOT, "%.2f", r.ratio());
            // (a row not measured here, the kernel's without root, has no verdict: it had ended the bench, exit 70)
            String target = r.target().isEmpty() ? "" : r.target() + (r.met() == null ? "  not measured"
                    : r.met() ? "  met" : "  MISSED");
            out.printf(Locale.ROOT, row, r.what(), r.value(), unit(r.unit()), baseline(r), ratio, target);
        }
    }

    private static String baseline(Bench.Row r) {
        return Double.isNaN(r.baseline()) ? "" : String.format(Locale.ROOT, "%s: %,.0f", r.baselineName(), r.baseline());
    }

    private static String unit(String u) {
        return switch (u) {
            case "commands/s" -> "c/s";
            case "events/s" -> "e/s";
            default -> u;
        };
    }
}
