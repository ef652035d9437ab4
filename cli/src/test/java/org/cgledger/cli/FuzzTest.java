package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.cgledger.core.state.Refcounts;
import org.cgledger.core.state.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and malformed sh lines: never a stack trace, never an exit code other than
 * 0, 1 or 2, and afterwards the ledger opens and its refcounts recompute clean.
 */
class FuzzTest {

    static final List<String> WORDS = List.of("mount", "-t", "container", "cgroup", "-o", "A", "B,cpu", "memory",
            "none", "name=x", "umount", "mkdir", "-p", "rmdir", "echo", ">", ">>", "cat", "ls", "cd", "pwd", "fork",
            "exit", "charge", "uncharge", "--pid", "--task", "--amount", "--cache", "set", "attach", "stat", "tree",
            "csssets", "ps", "subsys", "init", "/H1", "/H1/a", "/H1/a/b", "/H2", "/H2/c", "..", ".", "a", "/",
            "tasks", "/H1/tasks", "/H1/a/tasks", "/H2/c/tasks", "A.limit", "/H1/a/A.limit", "notify_on_release",
            "/H1/a/notify_on_release", "0", "1", "2", "3", "-1", "abc", "0x10", "max", "10", "99999999999",
            "file:1", "page:2", "'", "\"", "\\", "#", "--json", "--ledger", "--help", "-e", "sh",
            "\u00e9", "x\ty", "A.move_charge_at_immigrate", "/H1/a/A.usage");

    @Test
    @DisplayName("5,000 random lines in one sh run, then 300 random argument vectors")
    void fuzz() {
        Random rnd = new Random(4711);
        Harness h = new Harness();
        StringBuilder script = new StringBuilder("mount -t container -o A none /H1\nmount -o B none /H2\n");
        for (int i = 0; i < 5000; i++) {
            String line = line(rnd);
            if (!line.strip().equals("exit")) { // exit alone ends the script, as in a shell
                script.append(line).append('\n');
            }
        }
        Harness.Run r = h.runWithInput(script.toString(), "sh");
        assertClean(r);
        assertThat(r.code()).isBetween(0, 1);
        for (int i = 0; i < 300; i++) {
            String[] args = line(rnd).split(" ");
            assertClean(h.run(args));
        }
        Harness.Run json = h.runWithInput(script.toString(), "--json", "sh");
        assertClean(json);
        State s = h.opener.open(java.nio.file.Path.of("/ledgers/test")).state();
        assertThat(s.initialized()).isTrue();
        assertThat(Refcounts.violations(s)).isEmpty();
        assertThat(s.lastEvent()).isGreaterThan(50);
    }

    static final List<String> PATHS = List.of("/H1", "/H1/a", "/H1/a/b", "/H1/c", "/H2", "/H2/d", "/H2/d/e", "a", "..");
    static final List<String> TEMPLATES = List.of("mkdir -p P", "mkdir P", "rmdir P", "echo N > P/tasks",
            "fork N", "fork N --pid M", "exit N", "charge N A obj:N M", "charge N B obj:M 1 --cache", "uncharge obj:N",
            "uncharge obj:N --task M", "echo M > P/A.limit", "echo N > P/notify_on_release", "cat P/tasks", "stat P",
            "cd P", "ls P", "tree", "csssets", "ps", "echo 1 > P/A.move_charge_at_immigrate", "umount /H2",
            "mount -o B none /H2");

    /** Half well-formed commands with random operands, half random words. */
    static String line(Random rnd) {
        if (rnd.nextBoolean()) {
            return TEMPLATES.get(rnd.nextInt(TEMPLATES.size()))
                    .replace("P", PATHS.get(rnd.nextInt(PATHS.size())))
                    .replace("N", Integer.toString(1 + rnd.nextInt(12)))
                    .replace("M", Integer.toString(rnd.nextInt(40)));
        }
        return randomWords(rnd);
    }

    static String randomWords(Random rnd) {
        int n = 1 + rnd.nextInt(6);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(rnd.nextInt(10) == 0 ? "" : " ");
            }
            if (rnd.nextInt(25) == 0) {
                b.append((char) (32 + rnd.nextInt(95)));
            } else {
                b.append(WORDS.get(rnd.nextInt(WORDS.size())));
            }
        }
        return b.toString();
    }

    static void assertClean(Harness.Run r) {
        assertThat(r.code()).as(r.err()).isIn(0, 1, 2);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("internal error");
        assertThat(r.out()).doesNotContain("\tat ").doesNotContain("Exception");
    }
}
