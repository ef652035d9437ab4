package org.cgledger.cli.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Ctrl-C at the terminal reaches the whole process group: the JVM, the helper and every
 * sleeper. The run stops with 130 and cleans up, saying nothing: it had said "internal error ...
 * cannot read /proc/N/cgroup" (its sleepers killed under the script still running), or "cleanup
 * incomplete: moving sleepers back: null" (the cleanup and the script talking to the helper at once).
 */
@DisplayName("conformance: Ctrl-C to its process group stops it quietly and cleans up")
class ConformanceInterruptTest {

    @Test
    void ctrlC(@TempDir Path dir) throws Exception {
        Optional<String> why = KernelSide.unavailable();
        assumeTrue(why.isEmpty(), () -> "kernel side unavailable: " + why.orElse(""));
        assumeTrue(new ProcessBuilder("setsid", "--version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0, "no setsid here");
        List<String> script = new ArrayList<>(List.of("mount -t cgroup -o none,name=h1 none /H1"));
        for (int i = 0; i < 4000; i++) {
            script.add("mkdir /H1/d" + i);
            script.add("fork 1");
        }
        Path file = Files.write(dir.resolve("long.sh"), script);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int round = 0; round < 3; round++) {
            Path out = dir.resolve("out" + round);
            Path err = dir.resolve("err" + round);
            // setsid: a process group of its own, which the kill below takes for the terminal's
            Process p = new ProcessBuilder("setsid", java, "-cp", System.getProperty("java.class.path"),
                    "org.cgledger.cli.Main", "conformance", file.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            // once the script runs (its hierarchy mounted: the run's names begin cgc<pid>t), at a
            // different moment each round
            String name = "name=cgc" + p.pid() + "t";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.readAllLines(Path.of("/proc/mounts")).stream().noneMatch(l -> l.contains(name)
                    && l.contains("_h1 ")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300L * round);
            new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).start().waitFor();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(err, StandardCharsets.UTF_8)).as("stderr, round %d", round).isEmpty();
            assertThat(p.exitValue()).isEqualTo(130);
            // no sleeper (nor the helper) of the group left
            assertThat(new ProcessBuilder("pgrep", "-g", Long.toString(p.pid())).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor()).as("pgrep -g: 1 when no process is left").isEqualTo(1);
        }
    }
}
