package org.cgledger.persistence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link KillTarget} in a JVM of its own, writing a ledger without end: the last event it
 * acknowledged (its {@code ACK n} lines), for the tests that stop it (kill -9, SIGTERM).
 */
final class WritingChild {

    final Process process;
    private final AtomicLong acked = new AtomicLong(-1);
    private final Thread reader;

    private WritingChild(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("ACK ")) {
                        acked.set(Long.parseLong(line.substring(4)));
                    }
                }
            } catch (IOException ignored) {
                // the pipe breaks as the child is stopped
            }
        });
        reader.start();
    }

    /** Starts {@link KillTarget} with {@code args} (the ledger directory first). */
    static WritingChild start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), KillTarget.class.getName()));
        cmd.addAll(List.of(args));
        return new WritingChild(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    /** Waits (up to 60 s, while the child lives) until it has acknowledged event {@code n} or later; the last one. */
    long awaitAck(long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acked.get() < n && System.nanoTime() < deadline && process.isAlive()) {
            Thread.sleep(20);
        }
        return acked.get();
    }

    /** The last event acknowledged once its output is read to the end (after the child exited). */
    long lastAck() throws InterruptedException {
        reader.join();
        return acked.get();
    }
}
