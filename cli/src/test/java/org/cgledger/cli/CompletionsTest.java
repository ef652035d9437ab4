package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cgledger.core.state.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What TAB offers in the interactive shell. */
class CompletionsTest {

    static final List<String> COMMANDS = List.of("mkdir", "mount", "rmdir", "uncharge", "charge", "fork");

    State seeded() {
        Harness h = new Harness();
        h.runWithInput("mount -o A none /H1\nmkdir -p /H1/foo/bar /H1/fab\nfork 1 --pid 7\ncharge 7 A file:9\n", "sh");
        return h.ledger().state();
    }

    @Test
    @DisplayName("commands, then paths (directories end in /), relative to the working directory")
    void paths() {
        State s = seeded();
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("m"), 0)).containsExactly("mkdir", "mount");
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("ls", "/H1/f"), 1)).containsExactly("/H1/fab/", "/H1/foo/");
        assertThat(Completions.candidates(s, "/H1/foo", COMMANDS, List.of("cat", "t"), 1)).containsExactly("tasks");
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("cd", "/"), 1)).containsExactly("/H1/");
    }

    @Test
    @DisplayName("pids, subsystems and object names where they go")
    void others() {
        State s = seeded();
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("fork", ""), 1)).containsExactly("1", "7");
        // a child's pid: the one fork would give (those in use are EEXIST); exit: not init (EPERM)
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("fork", "1", "--pid", ""), 3)).containsExactly("8");
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("exit", ""), 1)).containsExactly("7");
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("charge", "A", "x", "--task", ""), 4))
                .containsExactly("1", "7");
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("charge", "7", ""), 2))
                .containsExactly("A", "B", "beancounter", "cpu", "memory");
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("uncharge", ""), 1)).containsExactly("file:9");
        // help takes a command; mount -o the subsystems not bound yet; who-holds a css or a css_set
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("help", "m"), 1)).containsExactly("mkdir", "mount");
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("mount", "-o", ""), 2))
                .containsExactly("B", "beancounter", "cpu", "memory", "none,name=");
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("who-holds", "A"), 1))
                .containsExactly("A0", "A1", "A2", "A3");
        assertThat(Completions.candidates(s, "/", COMMANDS, List.of("who-holds", "N"), 1)).contains("N0")
                .allMatch(x -> x.startsWith("N"));
    }
}
