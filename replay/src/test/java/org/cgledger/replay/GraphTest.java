package org.cgledger.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.cgledger.core.command.Charge;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Init;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.state.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The DOT text of a state, and rendering it through an outside program: its output, or why it failed in its own words. */
@DisplayName("graph")
class GraphTest {

    @Test
    @DisplayName("the renderer's output is the answer; a failing renderer's first line of stderr says why")
    void render() throws IOException {
        assertThat(Graph.render("digraph { a -> b }", List.of("sh", "-c", "tr a-z A-Z"), MINUTE))
                .isEqualTo("DIGRAPH { A -> B }");
        assertThatThrownBy(() -> Graph.render("digraph {", List.of("sh", "-c",
                "cat >/dev/null; echo >&2; echo 'Error: <stdin>: syntax error in line 1' >&2; exit 1"), MINUTE))
                .isInstanceOf(IOException.class)
                .hasMessage("sh exited with status 1: Error: <stdin>: syntax error in line 1");
    }

    static final Duration MINUTE = Duration.ofMinutes(1);

    /** The state after {@code commands}, each accepted. */
    private static State decided(Command... commands) {
        State s = State.EMPTY;
        for (Command c : commands) {
            s = ((Decision.Accepted) Decider.decide(s, c)).state();
        }
        return s;
    }

    @Test
    @DisplayName("a name's control characters are written as escapes the label shows (raw, an ESC or CR reached the "
            + "terminal); a quote and a backslash are escaped as DOT reads them")
    void controlCharacters() {
        String dot = Graph.dot(decided(new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.STRICT), new Mount("A", "/H1"),
                new Mkdir("/H1/r\rX\u001b[2J\"q\\z", false)));
        assertThat(dot).doesNotContain("\r").doesNotContain("\u001b")
                .contains("\"dir /H1/r\\\\rX\\\\x1b[2J\\\"q\\\\\\\\z\" [shape=folder, label=\"/H1/r\\\\rX\\\\x1b[2J\\\"q\\\\\\\\z\"];");
        // an ESC and the text \x1b are two names, two nodes
        String two = Graph.dot(decided(new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.STRICT), new Mount("A", "/H1"),
                new Mkdir("/H1/d\u001b", false), new Mkdir("/H1/d\\x1b", false)));
        assertThat(two.lines().filter(l -> l.contains("[shape=folder")).distinct()).hasSize(3);
    }

    @Test
    @DisplayName("each node's id names its kind: an object named like a css or a path is a node of its own (it had "
            + "been drawn as that css, or that directory, pinning what the object pins)")
    void kindsApart() {
        String dot = Graph.dot(decided(new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.STRICT),
                new Mount("A", "/H1"), new Charge(Pid.INIT, "A", "B0", 1, false), new Charge(Pid.INIT, "A", "/H1", 1, false)));
        assertThat(dot).contains("\"css B0\" [shape=component", "\"object B0\" [shape=note, label=\"B0\"];",
                "\"object B0\" -> \"css A0\";", "\"dir /H1\" [shape=folder, label=\"/H1\"];",
                "\"object /H1\" -> \"css A0\";").doesNotContain("\"B0\" ->");
    }

    @Test
    @DisplayName("a renderer that ends without reading all its input says its own reason (it was 'Broken pipe'); one "
            + "that hangs is stopped after the timeout (it was waited on for ever)")
    void endsEarlyOrHangs() {
        String big = "digraph { " + "a -> b; ".repeat(200_000) + "}";
        assertThatThrownBy(() -> Graph.render(big, List.of("sh", "-c", "echo boom >&2; exit 3"), MINUTE))
                .isInstanceOf(IOException.class).hasMessage("sh exited with status 3: boom");
        long start = System.nanoTime();
        assertThatThrownBy(() -> Graph.render(big, List.of("sleep", "600"), Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessage("sleep did not finish in 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }
}
