package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cgledger.core.state.Refcounts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (or Ctrl-C) to a process writing a ledger closes the ledger as {@link DurableLedger#close}
 * would, once the write under way is durable: H2 does not close the database on its own at exit,
 * where it closed it under the ledger's close.
 */
@DisplayName("SIGTERM in the middle of a command stream")
class SigtermTest {

    @TempDir
    Path dir;

    private static final org.cgledger.core.command.Init INIT = new org.cgledger.core.command.Init(
            java.util.List.of("A"), org.cgledger.core.model.PinPolicy.CSS, org.cgledger.core.model.RmdirPolicy.STRICT);

    /** A JVM of its own running {@code target}'s main with {@code args}, at the one-shot's JIT level, its stderr dropped. */
    private static Process child(Class<?> target, String... args) throws java.io.IOException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), target.getName()));
        cmd.addAll(java.util.List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    @DisplayName("closes the ledger as close() does: a snapshot at close, the database shut down, no H2 trace file, "
            + "nothing acknowledged lost")
    void closesTheLedger() throws Exception {
        for (String mode : new String[] {"window", "one"}) {
            WritingChild child = WritingChild.start(dir.toString(), mode, mode, "1");
            assertThat(child.awaitAck(1)).as("the child writes (%s)", mode).isPositive();
            Thread.sleep(500);
            child.process.destroy();
            assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).as("the child exits (%s)", mode).isTrue();
            long acked = child.lastAck();
            assertThat(child.process.exitValue()).as("killed by SIGTERM (%s)", mode).isEqualTo(128 + 15);
            assertThat(dir.resolve("journal.trace.db")).as("H2's trace file (%s)", mode).doesNotExist();
            assertThat(header(dir.resolve(DurableLedger.H2_FILE))).as("H2's file header (%s): shut down", mode)
                    .contains(",clean:1,");
            try (DurableLedger l = DurableLedger.open(dir)) {
                assertThat(l.state().lastEvent()).as("acknowledged (%s)", mode).isGreaterThanOrEqualTo(acked);
                assertThat(l.recovery().snapshotSeq()).as("closing took a snapshot (%s)", mode)
                        .isEqualTo(l.state().lastEvent());
                assertThat(l.recovery().replayed()).isZero();
                assertThat(l.recovery().discarded()).isZero();
                assertThat(Refcounts.violations(l.state())).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("closes a journal being read (an export, an audit): no H2 trace file of the reads the closed database "
            + "then refuses (it had held their stack traces, 'Database is already closed')")
    void closesAReaderWhileItReads() throws Exception {
        try (DurableLedger l = DurableLedger.open(dir)) {
            l.execute(INIT);
        }
        Process child = child(ReaderTarget.class, dir.toString(), "reading");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).startsWith("OPEN ");
            Thread.sleep(300);
            child.destroy();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isEqualTo(128 + 15);
        assertThat(dir.resolve("journal.trace.db")).doesNotExist();
        assertThat(header(dir.resolve(DurableLedger.H2_FILE))).as("shut down").contains(",clean:1,");
    }

    @Test
    @DisplayName("closes a journal opened to read (a long history or audit): the database shut down, the lock released")
    void closesAReader() throws Exception {
        try (DurableLedger l = DurableLedger.open(dir)) {
            l.execute(INIT);
            l.execute(new org.cgledger.core.command.Mount("A", "/H1"));
        }
        Process child = child(ReaderTarget.class, dir.toString());
        long rowsSeen;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            assertThat(line).startsWith("OPEN ");
            rowsSeen = Long.parseLong(line.substring(5));
            assertThat(header(dir.resolve(DurableLedger.H2_FILE))).as("open: not clean").doesNotContain(",clean:1,");
            child.destroy();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isEqualTo(128 + 15);
        assertThat(dir.resolve("journal.trace.db")).doesNotExist();
        assertThat(header(dir.resolve(DurableLedger.H2_FILE))).as("shut down").contains(",clean:1,");
        try (JournalRows rows = JournalRows.open(dir, java.time.Duration.ofSeconds(1))) {
            assertThat(rows.count()).isEqualTo(rowsSeen).isPositive();
        }
    }

    @Test
    @DisplayName("an import ended midway leaves nothing in its staging directory (it had left the journal it was "
            + "writing there, and H2's trace file, until the next import)")
    void importLeavesNothing() throws Exception {
        Path a = dir.resolve("a");
        try (DurableLedger l = DurableLedger.open(a)) {
            l.execute(INIT);
        }
        Path b = dir.resolve("b");
        Process child = child(ImportTarget.class, a.toString(), b.toString());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("IMPORTING");
            Path staged = b.resolve(JournalRows.IMPORT_STAGING).resolve(DurableLedger.H2_FILE);
            for (long deadline = System.nanoTime() + 60_000_000_000L; !Files.exists(staged) && System.nanoTime() < deadline; ) {
                Thread.sleep(20);
            }
            assertThat(staged).as("the import writes").exists();
            Thread.sleep(300);
            assertThat(child.isAlive()).as("still importing").isTrue();
            child.destroy();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isEqualTo(128 + 15);
        assertThat(b.resolve(JournalRows.IMPORT_STAGING)).doesNotExist();
        assertThat(b.resolve(DurableLedger.H2_FILE)).doesNotExist();
    }

    @Test
    @DisplayName("a compaction ended midway removes its copy (it had left it, as large as the live data, in .compact "
            + "until the ledger's next open) and leaves the journal as it was")
    void compactionLeavesNothing() throws Exception {
        try (DurableLedger l = DurableLedger.open(dir)) {
            l.execute(INIT);
            l.execute(new org.cgledger.core.command.Mount("A", "/H1"));
        }
        Process child = child(CompactTarget.class, dir.toString(), "300");
        Path copy = dir.resolve(DurableLedger.COMPACT_STAGING).resolve(DurableLedger.H2_FILE);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("COMPACTING");
            for (long deadline = System.nanoTime() + 60_000_000_000L;
                 (!Files.exists(copy) || Files.size(copy) == 0) && System.nanoTime() < deadline; ) {
                Thread.sleep(5);
            }
            assertThat(copy).as("the compaction writes its copy").exists();
            assertThat(child.isAlive()).as("still compacting").isTrue();
            child.destroy();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isEqualTo(128 + 15);
        assertThat(dir.resolve(DurableLedger.COMPACT_STAGING)).doesNotExist();
        try (DurableLedger l = DurableLedger.open(dir)) {
            assertThat(l.state().lastEvent()).isEqualTo(2);
        }
    }

    /** The first block of an H2 file: its header, {@code H:2,block:...,clean:1,...} after a clean close. */
    private static String header(Path file) throws java.io.IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
        }
    }
}
