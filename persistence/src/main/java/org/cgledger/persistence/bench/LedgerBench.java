package org.cgledger.persistence.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cgledger.core.bench.Workload;
import org.cgledger.core.command.Command;
import org.cgledger.persistence.DurableLedger;

/**
 * The durable ledger measured: sequential persisted commands/s (one write per command), group
 * commit commands/s, and opening a large ledger with and without a snapshot. A benchmark to run by
 * hand on a quiet machine; never a timed test.
 *
 * <p>Usage: {@code LedgerBench DIR [events] [sequentialCommands]}; defaults 1,000,000 and 2,000.
 */
public final class LedgerBench {

    private LedgerBench() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        long targetEvents = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int sequential = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        Files.createDirectories(base);

        // 1. one write per command, sequential
        Path seqDir = Files.createTempDirectory(base, "seq");
        Workload w1 = new Workload(1);
        List<Command> setup1 = w1.setup(100, 100);
        try (DurableLedger l = DurableLedger.open(seqDir)) {
            l.executeAll(setup1);
            int[] kind = new int[1];
            List<Command> cmds = new ArrayList<>();
            for (int i = 0; i < sequential; i++) {
                cmds.add(w1.next(kind));
            }
            long e0 = l.state().lastEvent();
            long t0 = System.nanoTime();
            for (Command c : cmds) {
                l.execute(c);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "sequential, one write per command: %,.0f commands/s (%,.0f events/s)%n",
                    sequential / s, (l.state().lastEvent() - e0) / s);
        }

        // 2. group commit: the big ledger
        Path big = Files.createTempDirectory(base, "big");
        Workload w = new Workload(2);
        long t0 = System.nanoTime();
        long commands = 0;
        try (DurableLedger l = DurableLedger.open(big, DurableLedger.Options.defaults())) {
            List<Command> setup = w.setup(10_000, 100_000);
            l.executeAll(setup);
            commands += setup.size();
            int[] kind = new int[1];
            while (l.state().lastEvent() < targetEvents) {
                List<Command> chunk = new ArrayList<>(20_000);
                for (int i = 0; i < 20_000; i++) {
                    chunk.add(w.next(kind));
                }
                l.executeAll(chunk);
                commands += chunk.size();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "group commit: %,d commands, %,d events in %.1f s: %,.0f commands/s, "
                    + "%,.0f events/s%n", commands, l.state().lastEvent(), s, commands / s, l.state().lastEvent() / s);
        }

        // 3. open, with and without the snapshot, three times each
        double[] with = new double[3];
        double[] without = new double[3];
        long events = 0;
        long replayedWith = 0;
        for (int r = 0; r < 3; r++) {
            long a = System.nanoTime();
            try (DurableLedger l = DurableLedger.open(big, DurableLedger.Options.defaults().withReadSnapshots(false)
                    .withSnapshots(Long.MAX_VALUE, Long.MAX_VALUE))) {
                without[r] = (System.nanoTime() - a) / 1e9;
                events = l.state().lastEvent();
            }
            long b = System.nanoTime();
            try (DurableLedger l = DurableLedger.open(big, DurableLedger.Options.defaults()
                    .withSnapshots(Long.MAX_VALUE, Long.MAX_VALUE))) {
                with[r] = (System.nanoTime() - b) / 1e9;
                replayedWith = l.recovery().replayed();
            }
        }
        Arrays.sort(with);
        Arrays.sort(without);
        System.out.printf(Locale.ROOT, "open %,d events without snapshot: median %.2f s (%,.0f events/s recovered)%n",
                events, without[1], events / without[1]);
        System.out.printf(Locale.ROOT, "open with snapshot (%,d events replayed after it): median %.2f s%n",
                replayedWith, with[1]);
    }
}
