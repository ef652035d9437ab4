package org.cgledger.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds what is written to stdout and stderr until it is released: {@code sh} prints each line's
 * outcome only once the line's events are durable, and writes in windows (group commit). One gate
 * for both streams, which keeps what was written in the order it was written: an error comes out
 * between the output of the lines around it, as in a file that takes both ({@code > f 2>&1}); two
 * gates released one after the other put every error of a window after all of its output.
 */
final class OutputGate {

    /** Text held for one stream: consecutive writes to the same stream share one. */
    private record Held(Writer target, StringBuilder text) {
    }

    private final List<Held> held = new ArrayList<>();
    private boolean holding;
    private final Writer out;
    private final Writer err;

    OutputGate(Writer out, Writer err) {
        this.out = new Side(out);
        this.err = new Side(err);
    }

    /** The writer for stdout, through the gate. */
    Writer out() {
        return out;
    }

    /** The writer for stderr, through the gate. */
    Writer err() {
        return err;
    }

    void hold() {
        holding = true;
    }

    /** Writes what was held, in the order it was written, and stops holding. */
    void release() {
        holding = false;
        try {
            for (Held h : held) {
                h.target().write(h.text().toString());
                h.target().flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            held.clear();
        }
    }

    /** Drops what was held (its lines were never acknowledged), and stops holding. */
    void discard() {
        holding = false;
        held.clear();
    }

    /** One stream's writer: held while the gate holds, else straight through. */
    private final class Side extends Writer {
        private final Writer target;

        Side(Writer target) {
            this.target = target;
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            if (!holding) {
                target.write(cbuf, off, len);
                return;
            }
            Held last = held.isEmpty() ? null : held.get(held.size() - 1);
            if (last == null || last.target() != target) {
                last = new Held(target, new StringBuilder());
                held.add(last);
            }
            last.text().append(cbuf, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (!holding) {
                target.flush();
            }
        }

        @Override
        public void close() throws IOException {
            release();
            target.close();
        }
    }
}
