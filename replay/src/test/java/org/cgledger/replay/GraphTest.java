package org.cgledger.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rendering through an outside program: its output, or why it failed in its own words. */
@DisplayName("graph rendering")
class GraphTest {

    @Test
    @DisplayName("the renderer's output is the answer; a failing renderer's first line of stderr says why")
    void render() throws IOException {
        assertThat(Graph.render("digraph { a -> b }", List.of("sh", "-c", "tr a-z A-Z"))).isEqualTo("DIGRAPH { A -> B }");
        assertThatThrownBy(() -> Graph.render("digraph {", List.of("sh", "-c",
                "cat >/dev/null; echo >&2; echo 'Error: <stdin>: syntax error in line 1' >&2; exit 1")))
                .isInstanceOf(IOException.class)
                .hasMessage("sh exited with status 1: Error: <stdin>: syntax error in line 1");
    }
}
