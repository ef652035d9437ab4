package org.cgledger.cli;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer that can hold what is written until it is released: {@code sh} prints each line's
 * outcome only once the line's events are durable, and writes in windows (group commit).
 */
final class DeferredWriter extends Writer {

    private final Writer target;
    private final StringBuilder held = new StringBuilder();
    private boolean holding;

    DeferredWriter(Writer target) {
        this.target = target;
    }

    void hold() {
        holding = true;
    }

    /** Writes what was held, and stops holding. */
    void release() {
        holding = false;
        try {
            target.write(held.toString());
            target.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        held.setLength(0);
    }

    /** Drops what was held (its lines were never acknowledged), and stops holding. */
    void discard() {
        holding = false;
        held.setLength(0);
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        if (holding) {
            held.append(cbuf, off, len);
        } else {
            target.write(cbuf, off, len);
        }
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
