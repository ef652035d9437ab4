package org.cgledger.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cgledger.core.state.Refcounts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 at any moment loses no acknowledged command and leaves a ledger that opens and
 * recomputes its refcounts clean: a child JVM writes without end, is killed at a random moment,
 * many times over on the same ledger, alternating one write per command and group commits
 * across streams (where a kill can tear the tail).
 */
@DisplayName("kill -9 in the middle of a command stream")
class KillTest {

    @TempDir
    Path dir;

    @Test
    void noAcknowledgedCommandIsLost() throws Exception {
        Random random = new Random(7);
        long acknowledgedTotal = 0;
        int rounds = Integer.getInteger("cgledger.killRounds", 8);
        for (int round = 0; round < rounds; round++) {
            String mode = round % 2 == 0 ? "window" : "one";
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    KillTarget.class.getName(), dir.toString(), mode, Integer.toString(round));
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process child = pb.start();
            AtomicLong acked = new AtomicLong(-1);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("ACK ")) {
                            acked.set(Long.parseLong(line.substring(4)));
                        }
                    }
                } catch (Exception ignored) {
                    // the pipe breaks when the child is killed
                }
            });
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acked.get() < 0 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(20);
            }
            assertThat(acked.get()).as("the child acknowledged its start (round %d)", round).isGreaterThanOrEqualTo(0);
            Thread.sleep(300 + random.nextInt(1500));
            child.destroyForcibly();
            child.waitFor();
            reader.join();
            long last = acked.get();
            try (DurableLedger l = DurableLedger.open(dir)) {
                assertThat(l.state().lastEvent()).as("round %d (%s): acknowledged up to #%d; recovery %s; cuts %s",
                        round, mode, last, l.recovery(), l.recoveries()).isGreaterThanOrEqualTo(last);
                assertThat(Refcounts.violations(l.state())).isEmpty();
                acknowledgedTotal = Math.max(acknowledgedTotal, last);
            }
        }
        assertThat(acknowledgedTotal).as("the children made progress").isGreaterThan(100);
        try (DurableLedger l = DurableLedger.open(dir)) {
            List<String> cuts = l.recoveries();
            System.out.println("kill test: " + rounds + " kills, " + l.state().lastEvent() + " events, torn tails cut: "
                    + cuts.size() + (cuts.isEmpty() ? "" : " " + cuts));
        }
    }
}
