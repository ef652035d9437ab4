package org.cgledger.replay.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.bench.Workload;
import org.cgledger.core.command.Command;
import org.cgledger.core.model.CgroupId;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journals;
import org.cgledger.replay.Audit;
import org.cgledger.replay.History;
import org.cgledger.replay.HistoryIndex;
import org.cgledger.replay.Journal;

/**
 * The replay figures of issue #5 on a workload ledger: read, audit events/s, history index build
 * and one group's history latency, {@code --at-event N} latency for N in the middle.
 * {@code ReplayBench DIR [EVENTS]}: builds the ledger in DIR first if it has none.
 */
public final class ReplayBench {

    private ReplayBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long events = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        if (!Files.exists(dir.resolve("journal.mv.db"))) {
            long t0 = System.nanoTime();
            try (DurableLedger l = DurableLedger.open(dir)) {
                Workload w = new Workload(42);
                l.executeAll(w.setup(300, 200));
                int[] kind = new int[1];
                while (l.state().lastEvent() < events) {
                    List<Command> chunk = new ArrayList<>();
                    for (int i = 0; i < 20_000; i++) {
                        chunk.add(w.next(kind));
                    }
                    l.executeAll(chunk);
                }
            }
            System.out.printf("built ledger: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        Duration lock = Duration.ofSeconds(30);
        try (JournalRows j = JournalRows.open(dir, lock)) {
            long t0 = System.nanoTime();
            List<Journals.Stored> rows = j.readAll();
            double read = (System.nanoTime() - t0) / 1e9;
            System.out.printf("read %d rows: %.2f s (%.0f rows/s)%n", rows.size(), read, rows.size() / read);

            t0 = System.nanoTime();
            Audit.Report r = Audit.run(rows, Audit.Options.defaults(), Audit.Progress.NONE);
            double audit = (System.nanoTime() - t0) / 1e9;
            System.out.printf("audit: %.2f s, %.0f events/s, %d findings%n", audit, rows.size() / audit,
                    r.findings().size());
            r.findings().stream().collect(java.util.stream.Collectors.groupingBy(f -> f.getClass().getSimpleName(),
                    java.util.stream.Collectors.counting())).forEach((k, v) -> System.out.println("  " + k + ": " + v));
            t0 = System.nanoTime();
            Audit.run(rows, Audit.Options.defaults(), Audit.Progress.NONE);
            audit = (System.nanoTime() - t0) / 1e9;
            System.out.printf("audit again (warm JIT): %.2f s, %.0f events/s%n", audit, rows.size() / audit);

            t0 = System.nanoTime();
            HistoryIndex.build(j, rows);
            System.out.printf("history index build: %.2f s%n", (System.nanoTime() - t0) / 1e9);

            String path = "/sys/fs/cgroup/cpu/slice0/svc30";
            List<CgroupId> inc = HistoryIndex.incarnations(j, path);
            for (int rep = 0; rep < 5; rep++) {
                t0 = System.nanoTime();
                List<History.Incarnation> h = HistoryIndex.history(j, path);
                long n = h.stream().mapToLong(x -> x.entries().size()).sum();
                System.out.printf("history %s (%d incarnations, %d events) via index: %.1f ms%n", path, inc.size(), n,
                        (System.nanoTime() - t0) / 1e6);
            }
            t0 = System.nanoTime();
            List<History.Incarnation> full = History.replay(rows, path);
            System.out.printf("history by full replay: %.2f s; identical to index: %s%n",
                    (System.nanoTime() - t0) / 1e9, full.equals(HistoryIndex.history(j, path)));

            long mid = rows.get(rows.size() / 2).record().seq();
            for (int rep = 0; rep < 3; rep++) {
                t0 = System.nanoTime();
                new Journal(rows).stateAt(mid);
                System.out.printf("--at-event %d, fold from empty: %.0f ms%n", mid, (System.nanoTime() - t0) / 1e6);
            }
            Journal cp = new Journal(rows);
            cp.finalState();
            for (int rep = 0; rep < 3; rep++) {
                t0 = System.nanoTime();
                cp.stateAt(mid + 7_777 * rep);
                System.out.printf("--at-event %d, from an in-memory checkpoint (every %d): %.1f ms%n", mid + 7_777 * rep,
                        Journal.DEFAULT_EVERY, (System.nanoTime() - t0) / 1e6);
            }
        }
    }
}
