package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OutputGateTest {

    @Test
    @DisplayName("held output and errors come out in the order written, as in a file that takes both (> f 2>&1)")
    void releaseKeepsTheOrder() {
        StringWriter both = new StringWriter();
        OutputGate gate = new OutputGate(both, both);
        PrintWriter out = new PrintWriter(gate.out(), true);
        PrintWriter err = new PrintWriter(gate.err(), true);
        gate.hold();
        out.println("line 1");
        err.println("line 2: refused");
        out.println("line 3");
        out.println("line 4");
        err.println("line 5: refused");
        assertThat(both.toString()).isEmpty();
        gate.release();
        assertThat(both.toString()).isEqualTo("line 1\nline 2: refused\nline 3\nline 4\nline 5: refused\n");
    }

    @Test
    @DisplayName("each stream gets only its own text; discarded text never comes out; not holding, writes go straight through")
    void streamsApartAndDiscard() {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        OutputGate gate = new OutputGate(stdout, stderr);
        PrintWriter out = new PrintWriter(gate.out(), true);
        PrintWriter err = new PrintWriter(gate.err(), true);
        gate.hold();
        out.println("lost");
        err.println("lost too");
        gate.discard();
        out.println("a");
        err.println("b");
        assertThat(stdout.toString()).isEqualTo("a\n");
        assertThat(stderr.toString()).isEqualTo("b\n");
        gate.hold();
        out.println("c");
        err.println("d");
        gate.release();
        assertThat(stdout.toString()).isEqualTo("a\nc\n");
        assertThat(stderr.toString()).isEqualTo("b\nd\n");
    }
}
