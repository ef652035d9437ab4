package org.cgledger.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;

/**
 * The process's standard output, remembering the first write that failed. {@link java.io.PrintStream}
 * and {@link PrintWriter} keep such failures to themselves: {@code cgledger log > file} on a full
 * disk had exited 0 with the file cut short, and said nothing.
 */
final class Stdout extends FilterOutputStream {

    /** A process killed by SIGPIPE exits so in a shell (128 + 13): what a closed pipe gives instead. */
    static final int BROKEN_PIPE = 141;

    private volatile IOException failure;

    Stdout(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private IOException failed(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** The first write that failed, or null. */
    IOException failure() {
        return failure;
    }

    /**
     * The exit code of a command that answered {@code code} while its output met {@code failure}
     * (null: none). One that succeeded but whose output was lost exits {@link CgLedger#USAGE} with
     * the reason on {@code err}, as {@code export} to a file it cannot write does; one that failed
     * keeps its code, and is told the same (it had been told nothing of its lost output). A pipe
     * closed by its reader ({@code | head}) ends it quietly, as SIGPIPE ends other tools.
     */
    static int exitCode(int code, IOException failure, PrintWriter err) {
        if (failure == null) {
            return code;
        }
        String why = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (why.equals("Broken pipe")) {
            return code != 0 ? code : BROKEN_PIPE;
        }
        err.println("cgledger: cannot write stdout: " + why + " (the command ran; its output is incomplete)");
        err.flush();
        return code != 0 ? code : CgLedger.USAGE;
    }
}
