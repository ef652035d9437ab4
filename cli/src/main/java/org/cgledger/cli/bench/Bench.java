package org.cgledger.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.cgledger.cli.Client;
import org.cgledger.cli.conformance.KernelSide;
import org.cgledger.core.bench.CoreBench;
import org.cgledger.core.bench.MemoryLatency;
import org.cgledger.core.bench.Workload;
import org.cgledger.core.command.Command;
import org.cgledger.persistence.DurableLedger;
import org.cgledger.persistence.JournalRows;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.Timeline;
import org.cgledger.replay.Audit;
import org.cgledger.replay.HistoryIndex;

/**
 * {@code cgledger bench}: each part of the ledger measured side by side with its limit in one run,
 * on the same machine at the same moment, so the ratios mean something on a noisy shared box.
 * Builds a workload ledger (core's {@link Workload}: 3 hierarchies, 10,000 cgroups, 100,000 tasks,
 * then the command mix) in a scratch directory and deletes it afterwards.
 */
public final class Bench {

    /**
     * One figure.
     *
     * @param baseline what it is compared with (NaN: none), in the same unit
     * @param target the ratio or value to reach, as text ("" for none)
     */
    public record Row(String what, double value, String unit, String baselineName, double baseline, String target,
                      Boolean met) {

        public double ratio() {
            return Double.isNaN(baseline) || baseline == 0 ? Double.NaN : value / baseline;
        }
    }

    /**
     * How big a run is.
     *
     * @param events events in the durable ledger (group commit, recovery, audit)
     * @param coreCommands commands for core alone
     * @param naiveCommands commands for the one-write-per-command baseline (it is slow)
     */
    public record Size(long events, int coreCommands, int naiveCommands, int groups, int tasks) {
        public static Size of(long events) {
            int scale = (int) Math.max(1, Math.min(10, events / 100_000));
            return new Size(events, (int) Math.min(1_000_000, Math.max(100_000, events)), 1_000,
                    1_000 * scale, 10_000 * scale);
        }
    }

    private final Path scratch;
    private final Size size;
    private final Consumer<String> progress;
    private final List<Row> rows = new ArrayList<>();

    public Bench(Path scratch, Size size, Consumer<String> progress) {
        this.scratch = scratch;
        this.size = size;
        this.progress = progress;
    }

    public List<Row> run() throws Exception {
        core();
        Path big = Files.createDirectory(scratch.resolve("ledger"));
        durable(big);
        recovery(big);
        startup(big);
        readSide(big);
        // the served writers find the history index current and keep it so
        served(big);
        historyAfterWrites(big);
        return List.copyOf(rows);
    }

    /**
     * Core alone, in a JVM of its own ({@link CoreBench#measure}): with the flags
     * {@code cgledger.coreFlags} holds (the launcher's: the parallel collector, its heap sized at the
     * start, a quarter of it young with survivor spaces the collector does not shrink), which suit
     * core's older states, chains of differences that must die young, and not the rest of the bench
     * (durable writes and audit ran slower under them in this JVM); and on a heap that nothing else
     * has used. Then the same commands on {@link org.cgledger.core.bench.FlatFloor}, the mix on flat
     * arrays changed in place (no persistence): a ceiling for the layout core would need, beside
     * core's rate; its last round must accept what core's last accepted and end with as many of
     * everything (the child fails if not).
     */
    private void core() throws IOException, InterruptedException {
        progress.accept("core alone: " + size.coreCommands() + " commands, a warm-up round and " + CoreBench.ROUNDS
                + " measured, then the same on flat arrays (FlatFloor), in a JVM of its own");
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(flags("cgledger.coreFlags", CoreBench.JVM_FLAGS));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CoreBench.class.getName(), "--report",
                Integer.toString(size.coreCommands()), Integer.toString(size.groups()), Integer.toString(size.tasks())));
        Path out = scratch.resolve("core-report");
        Path err = scratch.resolve("core-report.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code;
        try {
            p.getOutputStream().close();
            code = p.waitFor();
        } finally {
            // interrupted, or the bench failing: the child goes with it
            p.destroyForcibly();
        }
        if (code != 0) {
            String why = Files.readString(err).strip();
            throw new IllegalStateException("core alone failed (exit " + code + ")"
                    + (why.contains("OutOfMemoryError") ? ": out of memory; give its JVM more heap, as "
                    + "CGLEDGER_JAVA_OPTS=-Xmx4g does" : "") + ": " + why);
        }
        CoreBench.Report r = CoreBench.Report.parse(Files.readAllLines(out));
        double rate = median(r.rates());
        rows.add(new Row("core alone (decide + evolve; median of " + CoreBench.ROUNDS + " rounds after a warm-up)", rate,
                "commands/s", "", Double.NaN, ">= 500,000", rate >= 500_000));
        rows.add(new Row("the same commands on flat arrays changed in place (FlatFloor: a ceiling, not the model)",
                median(r.flatRates()), "commands/s", "core alone", rate, "", null));
        latency(rate);
        kernel(r.counts(), r.nanos());
        double mib = r.retainedBytes() / 1048576.0;
        rows.add(new Row("heap retained by the model (" + size.tasks() + " tasks, " + size.groups() + " cgroups)", mib,
                "MiB", "", Double.NaN, "< 512", mib < 512));
    }

    /**
     * Core's mean time per command in units of this machine's memory latency ({@link MemoryLatency}):
     * the cold reads a command costs, a figure that stays comparable where nanoseconds vary with the
     * machine and the moment.
     */
    private void latency(double rate) {
        progress.accept("memory latency: dependent reads through a 64 MB working set");
        double read = MemoryLatency.measure();
        rows.add(new Row("core: mean time per command, in dependent memory reads", 1e9 / rate, "ns",
                "one read through 64 MB, each address from the read before (this machine's memory latency)", read,
                "", null));
    }

    /**
     * Core's mean time per command of each kind in the mix (the three measured rounds), beside the
     * live kernel's own time for the same cgroup operation where it has one (mkdir, a task move,
     * rmdir), timed now on a named cgroup v1 hierarchy by the conformance harness
     * ({@link KernelSide#time}); without root or cgroup v1 the rows say why the kernel is missing.
     */
    private void kernel(long[] counts, long[] nanos) {
        progress.accept("the live kernel: cgroup mkdir, task move and rmdir on a named v1 hierarchy");
        List<KernelSide.Timing> runs = new ArrayList<>();
        String missing = KernelSide.unavailable().orElse(null);
        if (missing == null) {
            try (KernelSide side = KernelSide.open()) {
                // several rounds: one round's task moves took 3.1 us here, the next rounds' 8-21 us
                for (int i = 0; i < KERNEL_ROUNDS; i++) {
                    runs.add(side.time(KERNEL_OPS));
                }
            } catch (IOException | RuntimeException e) {
                missing = e.getMessage();
                runs.clear();
            }
        }
        KernelSide.Timing k = runs.isEmpty() ? null : new KernelSide.Timing(
                median(runs, KernelSide.Timing::mkdirNanos), median(runs, KernelSide.Timing::moveNanos),
                median(runs, KernelSide.Timing::rmdirNanos), median(runs, KernelSide.Timing::loopNanos));
        for (int kind = 0; kind < counts.length; kind++) {
            String name = Workload.KINDS.get(kind);
            double core = nanos[kind] / (double) Math.max(1, counts[kind]);
            // the kernel's own operation for this kind of command, if it has one
            String op = switch (name) {
                case "mkdir", "rmdir" -> name;
                case "attach" -> "task move";
                default -> null;
            };
            String what = "core: one " + name + " in the mix (mean)";
            if (op == null) {
                rows.add(new Row(what, core, "ns", "", Double.NaN, "", null));
            } else if (k == null) {
                rows.add(new Row(what, core, "ns", "the kernel: not measured (" + missing + ")", Double.NaN,
                        "< the kernel's", null));
            } else {
                double kernel = switch (name) {
                    case "mkdir" -> k.mkdirNanos();
                    case "rmdir" -> k.rmdirNanos();
                    default -> k.moveNanos();
                };
                java.util.function.ToDoubleFunction<KernelSide.Timing> of = switch (name) {
                    case "mkdir" -> KernelSide.Timing::mkdirNanos;
                    case "rmdir" -> KernelSide.Timing::rmdirNanos;
                    default -> KernelSide.Timing::moveNanos;
                };
                double least = runs.stream().mapToDouble(of).min().orElse(kernel);
                double most = runs.stream().mapToDouble(of).max().orElse(kernel);
                rows.add(new Row(what, core, "ns", String.format(Locale.ROOT, "the kernel's %s on a named hierarchy, "
                        + "median of %d rounds of %,d (rounds %,.0f to %,.0f; of which the timing loop and a system "
                        + "call: %,.0f ns)", op, runs.size(), KERNEL_OPS, least, most, k.loopNanos()), kernel,
                        "< the kernel's", core < kernel));
            }
        }
    }

    /** How many of each cgroup operation the kernel is timed on. */
    static final int KERNEL_OPS = 1_000;

    /** How many rounds of {@link #KERNEL_OPS} each the kernel is timed in: its median is what core is compared with. */
    static final int KERNEL_ROUNDS = 5;

    private static double median(List<KernelSide.Timing> runs, java.util.function.ToDoubleFunction<KernelSide.Timing> of) {
        return median(runs.stream().mapToDouble(of).toArray());
    }

    private void durable(Path big) throws Exception {
        progress.accept("durable writes: building a ledger of " + size.events() + " events (group commit)");
        Workload w = new Workload(7);
        long commands = 0;
        long t0 = System.nanoTime();
        long events;
        double s;
        DurableLedger writer = DurableLedger.open(big, DurableLedger.Options.defaults()
                .withSnapshots(Long.MAX_VALUE, Long.MAX_VALUE));
        try (DurableLedger l = writer) {
            List<Command> setup = w.setup(size.groups(), size.tasks());
            l.executeAll(setup);
            commands += setup.size();
            int[] kind = new int[1];
            while (l.state().lastEvent() < size.events()) {
                List<Command> chunk = new ArrayList<>(CHUNK);
                for (int i = 0; i < CHUNK; i++) {
                    chunk.add(w.next(kind));
                }
                l.executeAll(chunk);
                commands += chunk.size();
            }
            events = l.state().lastEvent();
            // up to the last acknowledgement: closing (and compacting) is reported on its own
            s = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
        }
        double closing = (System.nanoTime() - t0) / 1e6;
        double groupEvents = events / s;
        DurableLedger.Compaction atClose = writer.closeCompaction();
        rows.add(new Row(atClose == null ? "closing the writing ledger (no compaction due)"
                : String.format(Locale.ROOT, "closing the writing ledger, which compacts its file (%,.0f MB -> %,.0f MB)",
                atClose.bytesBefore() / 1e6, atClose.bytesAfter() / 1e6), closing, "ms", "", Double.NaN, "", null));

        progress.accept("baseline: plain JDBC batched inserts of the same rows");
        double limit = plainInserts(big);

        progress.accept("baseline: one persist per command, " + size.naiveCommands() + " commands on the same ledger");
        double naive;
        try (DurableLedger l = DurableLedger.open(big, DurableLedger.Options.defaults()
                .withSnapshots(Long.MAX_VALUE, Long.MAX_VALUE))) {
            int[] kind = new int[1];
            List<Command> cmds = new ArrayList<>();
            for (int i = 0; i < size.naiveCommands(); i++) {
                cmds.add(w.next(kind));
            }
            long a = System.nanoTime();
            for (Command c : cmds) {
                l.execute(c);
            }
            naive = cmds.size() / ((System.nanoTime() - a) / 1e9);
        }
        double groupCommands = commands / s;
        rows.add(new Row("durable writes, group commit (events/s)", groupEvents, "events/s",
                "plain JDBC batches of 1,000, same durability", limit, ">= 50% of the limit",
                groupEvents >= 0.5 * limit));
        rows.add(new Row("durable writes, group commit (commands/s)", groupCommands, "commands/s",
                "one persist per command", naive, ">= 10x", groupCommands >= 10 * naive));
    }

    /** Commands the durable writes hand the ledger at once (one executeAll, flushed to the disk once). */
    private static final int CHUNK = 20_000;

    /**
     * Rows flushed to the disk at once by the baseline (fsync, {@code CHECKPOINT SYNC}), as the ledger
     * flushes its file once per call that writes: the workload's chunks of {@link #CHUNK} commands.
     */
    private static final int FLUSH_ROWS = CHUNK;

    /**
     * Rows/s of plain JDBC inserts of the ledger's own rows into a fresh journal, 1,000 per commit,
     * the file flushed every {@link #FLUSH_ROWS} rows and at the end.
     */
    private double plainInserts(Path big) throws Exception {
        List<Object[]> stored = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url(big), "sa", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"persistence_id\", \"sequence_number\", \"event_ser_id\", "
                     + "\"event_ser_manifest\", \"event_payload\" FROM PUBLIC.\"event_journal\"")) {
            while (rs.next()) {
                stored.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getBytes(5)});
            }
            st.execute("SHUTDOWN");
        }
        Path plain = Files.createDirectory(scratch.resolve("plain"));
        try (DurableLedger l = DurableLedger.open(plain)) {
            l.state(); // creates the same schema
        }
        try (Connection c = DriverManager.getConnection(url(plain), "sa", "")) {
            try (Statement st = c.createStatement()) {
                st.execute(DurableLedger.H2_RETENTION); // the ledger's durability settings, all of them
            }
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO PUBLIC.\"event_journal\" (\"persistence_id\", "
                    + "\"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", "
                    + "\"event_ser_id\", \"event_ser_manifest\") VALUES (?, ?, 'bench', 0, '', ?, ?, ?)");
                 PreparedStatement flush = c.prepareStatement("CHECKPOINT SYNC")) {
                int n = 0;
                for (Object[] r : stored) {
                    ps.setString(1, (String) r[0]);
                    ps.setLong(2, (Long) r[1]);
                    ps.setBytes(3, (byte[]) r[4]);
                    ps.setInt(4, (Integer) r[2]);
                    ps.setString(5, (String) r[3]);
                    ps.addBatch();
                    if (++n % 1_000 == 0) {
                        ps.executeBatch();
                        c.commit();
                    }
                    if (n % FLUSH_ROWS == 0) {
                        flush.execute();
                    }
                }
                ps.executeBatch();
                c.commit();
                flush.execute();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            try (Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            }
            return stored.size() / s;
        }
    }

    private void recovery(Path big) throws Exception {
        progress.accept("recovery: opening the whole ledger, no snapshot");
        double[] open = new double[3];
        long events = 0;
        for (int i = 0; i < open.length; i++) {
            long t0 = System.nanoTime();
            try (DurableLedger l = DurableLedger.open(big, DurableLedger.Options.defaults().withReadSnapshots(false)
                    .withSnapshots(Long.MAX_VALUE, Long.MAX_VALUE))) {
                open[i] = (System.nanoTime() - t0) / 1e9;
                events = l.state().lastEvent();
            }
        }
        double recover = events / median(open);
        progress.accept("baseline: plain JDBC scan and Jackson decode of every payload");
        double[] scan = new double[3];
        for (int i = 0; i < scan.length; i++) {
            try (JournalRows j = JournalRows.open(big, Duration.ofSeconds(30))) {
                long t0 = System.nanoTime();
                int n = j.readAll().size();
                scan[i] = n / ((System.nanoTime() - t0) / 1e9);
            }
        }
        rows.add(new Row("recovery of the whole ledger", recover, "events/s", "plain JDBC scan + decode",
                median(scan), ">= 50% of the baseline", recover >= 0.5 * median(scan)));
    }

    private void startup(Path big) throws Exception {
        progress.accept("open with a snapshot; one-shot commands as new processes");
        try (DurableLedger l = DurableLedger.open(big)) {
            l.snapshot();
        }
        double[] open = new double[3];
        for (int i = 0; i < open.length; i++) {
            long t0 = System.nanoTime();
            try (DurableLedger l = DurableLedger.open(big, DurableLedger.Options.defaults()
                    .withSnapshots(Long.MAX_VALUE, Long.MAX_VALUE))) {
                open[i] = (System.nanoTime() - t0) / 1e3 / 1e3;
            }
        }
        rows.add(new Row("open with a snapshot", median(open), "ms", "", Double.NaN, "", null));
        // on the ledger as its writer left it: compacted as it closed (an uncompacted file, which a
        // writer killed leaves, cost 0.3 s more here: README); as the launcher runs a one-shot
        // command: its quick-start flags and its class-data archive
        // beside the same command on a ledger of a few dozen events, alternating: what a one-shot
        // command costs before any model (the JVM, Pekko and its journal plugin, H2), on this machine now
        Path small = Files.createDirectory(scratch.resolve("small"));
        long smallEvents;
        try (DurableLedger l = DurableLedger.open(small)) {
            l.executeAll(new Workload(3).setup(30, 10));
            smallEvents = l.state().lastEvent();
        }
        // five of each: a one-shot's time on this shared machine varies by a tenth from run to run
        double[] ms = oneShots(new Path[] {big, small}, "as-left", "cgledger.oneShotFlags", 5);
        rows.add(new Row("one-shot `cgledger mkdir` as a new process", ms[0], "ms",
                "the same on a ledger of " + smallEvents + " events", ms[1], "< 1,000", ms[0] < 1_000));
    }

    /**
     * One-shot commands on the same ledger while {@code cgledger serve} keeps it open: the time the
     * server takes to be ready, then one-shot mkdirs as new processes, which forward to it.
     */
    private void served(Path big) throws Exception {
        progress.accept("one-shot commands through `cgledger serve`");
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(flags("cgledger.serveFlags", "-Xshare:auto"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.cgledger.cli.Main", "--ledger",
                big.toString(), "serve"));
        Path socket = Client.socket(big);
        long t0 = System.nanoTime();
        Process server = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            while (!Client.ping(socket)) {
                if (!server.isAlive() || System.nanoTime() - t0 > 120e9) {
                    throw new IllegalStateException("cgledger serve did not start (exit "
                            + (server.isAlive() ? "none after 120 s" : server.exitValue()) + ")");
                }
                Thread.sleep(10);
            }
            double ready = (System.nanoTime() - t0) / 1e6;
            rows.add(new Row("`cgledger serve` ready (a new process opens the ledger)", ready, "ms", "", Double.NaN,
                    "", null));
            // the server's first command runs its code cold (1 s here); a server runs for hours
            oneShot(big, "served-warm-up", "cgledger.servedFlags", 1);
            double served = oneShot(big, "served", "cgledger.servedFlags", 5);
            rows.add(new Row("one-shot `cgledger mkdir` through `cgledger serve`", served, "ms", "", Double.NaN,
                    "< 1,000", served < 1_000));
        } finally {
            Client.stop(socket);
            if (!server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> flags(String property, String otherwise) {
        String flags = System.getProperty(property, otherwise).trim();
        return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
    }

    /** The median wall time of {@code runs} one-shot mkdirs on {@code big}, each a new process with the JVM flags {@code property} holds. */
    private double oneShot(Path big, String tag, String property, int runs) throws Exception {
        return oneShots(new Path[] {big}, tag, property, runs)[0];
    }

    /** {@link #oneShot} on each of {@code ledgers}, taking turns, so a busy moment hits all of them alike. */
    private double[] oneShots(Path[] ledgers, String tag, String property, int runs) throws Exception {
        double[][] times = new double[ledgers.length][runs];
        for (int i = 0; i < runs; i++) {
            for (int l = 0; l < ledgers.length; l++) {
                times[l][i] = oneShotRun(ledgers[l], tag, property, i);
            }
        }
        double[] medians = new double[ledgers.length];
        for (int l = 0; l < ledgers.length; l++) {
            medians[l] = median(times[l]);
        }
        return medians;
    }

    /** The wall time of one one-shot mkdir on {@code big} as a new process, the {@code i}th of its {@code tag}. */
    private double oneShotRun(Path big, String tag, String property, int i) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(flags(property, "-XX:TieredStopAtLevel=1"));
        cmd.addAll(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        if (Timeline.on()) {
            cmd.add("-Dcgledger.timeline=true");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.cgledger.cli.Main", "--ledger",
                big.toString(), "mkdir", "/sys/fs/cgroup/cpu/bench-one-shot-" + tag + "-" + i));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // with -Dcgledger.timeline=true the bench shows where each one-shot's time went
        Path err = scratch.resolve("one-shot.err");
        pb.redirectError(Timeline.on() ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.to(err.toFile()));
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.waitFor();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the one-shot mkdir exited " + p.exitValue()
                    + (Files.exists(err) ? ": " + Files.readString(err).strip() : ""));
        }
        Files.deleteIfExists(err);
        return ms;
    }

    private void readSide(Path big) throws Exception {
        progress.accept("audit and history");
        try (JournalRows j = JournalRows.open(big, Duration.ofSeconds(30))) {
            List<Journals.Stored> all = j.readAll();
            long t0 = System.nanoTime();
            Audit.run(all, Audit.Options.defaults(), Audit.Progress.NONE);
            double audit = all.size() / ((System.nanoTime() - t0) / 1e9);
            rows.add(new Row("audit", audit, "events/s", "", Double.NaN, "", null));
            long before = Files.size(big.resolve(DurableLedger.H2_FILE));
            t0 = System.nanoTime();
            HistoryIndex.build(j, all);
            double build = (System.nanoTime() - t0) / 1e9;
            long grew = Files.size(big.resolve(DurableLedger.H2_FILE)) - before;
            rows.add(new Row(String.format(Locale.ROOT, "history index built from the whole journal (file +%,.0f MB)",
                    grew / 1e6), build, "s", "", Double.NaN, "", null));
            String path = "/sys/fs/cgroup/cpu/slice0";
            double[] ms = new double[5];
            for (int i = 0; i < ms.length; i++) {
                long a = System.nanoTime();
                HistoryIndex.history(j, path);
                ms[i] = (System.nanoTime() - a) / 1e6;
            }
            double h = median(ms);
            rows.add(new Row("history of one group (" + path + ")", h, "ms", "", Double.NaN, "< 100", h < 100));
        }
    }

    /**
     * After the served writes of {@link #served}: the history of a group one of them created, with
     * the check that the index is current (the writers kept it so: no rebuild).
     */
    private void historyAfterWrites(Path big) throws Exception {
        progress.accept("history after the served writes");
        try (JournalRows j = JournalRows.open(big, Duration.ofSeconds(30))) {
            String path = "/sys/fs/cgroup/cpu/bench-one-shot-served-0";
            long t0 = System.nanoTime();
            boolean rebuilt = HistoryIndex.ensure(j);
            int entries = HistoryIndex.history(j, path).stream().mapToInt(i -> i.entries().size()).sum();
            double ms = (System.nanoTime() - t0) / 1e6;
            rows.add(new Row("history right after writes: index check and query (" + path + ", "
                    + (rebuilt ? "index REBUILT" : "index kept current by the writers") + ")", ms, "ms", "",
                    Double.NaN, "< 100", !rebuilt && entries > 0 && ms < 100));
        }
    }

    private static String url(Path dir) {
        return DurableLedger.h2Url(dir);
    }

    static double median(double[] xs) {
        double[] c = xs.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    /** Deletes a scratch directory. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
