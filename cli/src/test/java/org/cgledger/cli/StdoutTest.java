package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StdoutTest {

    /** A stream that takes {@code room} bytes, then fails as a full disk or a closed pipe does. */
    static OutputStream failingAfter(int room, String why) {
        return new OutputStream() {
            int written;

            @Override
            public void write(int b) throws IOException {
                if (written++ >= room) {
                    throw new IOException(why);
                }
            }
        };
    }

    @Test
    @DisplayName("the first failed write is remembered, though the PrintStream over it swallows it")
    void remembersTheFirstFailure() {
        Stdout stdout = new Stdout(failingAfter(4, "No space left on device"));
        PrintStream ps = new PrintStream(stdout, true);
        ps.println("ok");
        assertThat(stdout.failure()).isNull();
        ps.println("too long for the room left");
        ps.println("and again");
        assertThat(ps.checkError()).isTrue();
        assertThat(stdout.failure()).hasMessage("No space left on device");
    }

    @Test
    @DisplayName("a command that succeeded but lost its output exits 2 and says why; a closed pipe exits 141 quietly; "
            + "a command that failed keeps its code, and is told its output was lost too (it was told nothing)")
    void exitCodes() {
        StringWriter text = new StringWriter();
        PrintWriter err = new PrintWriter(text, true);
        assertThat(Stdout.exitCode(0, null, err)).isZero();
        assertThat(Stdout.exitCode(0, new IOException("No space left on device"), err)).isEqualTo(CgLedger.USAGE);
        assertThat(text.toString()).isEqualTo(
                "cgledger: cannot write stdout: No space left on device (the command ran; its output is incomplete)\n");
        text.getBuffer().setLength(0);
        assertThat(Stdout.exitCode(0, new IOException("Broken pipe"), err)).isEqualTo(Stdout.BROKEN_PIPE);
        assertThat(Stdout.exitCode(1, new IOException("Broken pipe"), err)).isEqualTo(1);
        assertThat(Stdout.exitCode(3, null, err)).isEqualTo(3);
        assertThat(text.toString()).isEmpty();
        assertThat(Stdout.exitCode(1, new IOException("No space left on device"), err)).isEqualTo(1);
        assertThat(text.toString()).isEqualTo(
                "cgledger: cannot write stdout: No space left on device (the command ran; its output is incomplete)\n");
    }

    @Test
    @DisplayName("what is written reaches the stream under it unchanged")
    void passesWritesThrough() throws IOException {
        ByteArrayOutputStream under = new ByteArrayOutputStream();
        Stdout stdout = new Stdout(under);
        stdout.write('a');
        stdout.write("bcd".getBytes(), 1, 2);
        stdout.flush();
        assertThat(under.toString()).isEqualTo("acd");
        assertThat(stdout.failure()).isNull();
    }
}
