package org.cgledger.cli;

import java.io.IOException;
import java.io.Writer;

/**
 * Ctrl-C in the interactive shell, for the line running: it stops at its next output or before
 * its next write to the ledger, never inside one. A write already under way is made durable, and
 * said (its outcome is printed); a reader stops printing at once. Outside the interactive shell
 * nothing requests a cancel, and every check passes.
 *
 * <p>{@link #request} comes from the terminal's signal thread; everything else runs on the
 * thread that runs the line.
 */
final class LineCancel {

    /** Thrown where the line stops: at an output or before a write; the shell answers it with a new prompt. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled (Ctrl-C)", null, false, false);
        }
    }

    private volatile boolean requested;
    /** Whether the line has written to the ledger since it began: its outcome is then printed. */
    private boolean wrote;

    /** Ctrl-C: the line running stops at its next output or before its next write. */
    void request() {
        requested = true;
    }

    /** Whether Ctrl-C came since {@link #reset}. */
    boolean requested() {
        return requested;
    }

    /** Before what one Enter gave (a line, or a pasted block of lines) runs: no cancel pending. */
    void reset() {
        requested = false;
        wrote = false;
    }

    /** Before each line: it has written nothing yet. */
    void nextLine() {
        wrote = false;
    }

    /** Before a write to the ledger: throws {@link Cancelled} if Ctrl-C came. */
    void beforeWrite() {
        if (requested) {
            throw new Cancelled();
        }
    }

    /** After a write to the ledger: what the line prints now is its outcome, printed even after Ctrl-C. */
    void wrote() {
        wrote = true;
    }

    /** Before output: throws {@link Cancelled} if Ctrl-C came and the line has written nothing. */
    void beforeOutput() {
        if (requested && !wrote) {
            throw new Cancelled();
        }
    }

    /** {@code target} behind {@link #beforeOutput}: what a line prints goes through here. */
    Writer guard(Writer target) {
        return new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                beforeOutput();
                target.write(cbuf, off, len);
            }

            @Override
            public void flush() throws IOException {
                target.flush();
            }

            @Override
            public void close() throws IOException {
                target.close();
            }
        };
    }
}
