package org.cgledger.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * The lines of a script as a shell reads them: each ends at a newline, and a carriage return just
 * before it is dropped (CRLF). A carriage return anywhere else is a character of the line, as in a
 * quoted name: {@link java.io.BufferedReader#readLine} also ended a line there, so a name with one
 * could not be made in {@code sh}, and every later line's number was off by one.
 */
public final class ScriptLines implements Closeable {

    private final Reader in;
    private final char[] buffer = new char[8192];
    private int at;
    private int end;

    public ScriptLines(Reader in) {
        this.in = in;
    }

    /** The next line, without its end; null at the end of the input. */
    public String readLine() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (at == end) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    return line == null ? null : withoutCr(line);
                }
                at = 0;
                end = n;
            }
            int start = at;
            while (at < end && buffer[at] != '\n') {
                at++;
            }
            if (line == null) {
                line = new StringBuilder(Math.max(16, at - start));
            }
            line.append(buffer, start, at - start);
            if (at < end) {
                at++; // the newline
                return withoutCr(line);
            }
        }
    }

    /** Every line of the UTF-8 file {@code script}, read so (the conformance harness runs scripts as sh does). */
    public static java.util.List<String> of(java.nio.file.Path script) throws IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        try (ScriptLines in = new ScriptLines(java.nio.file.Files.newBufferedReader(script,
                java.nio.charset.StandardCharsets.UTF_8))) {
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                lines.add(l);
            }
        }
        return lines;
    }

    /** Whether more input can be read at once: buffered here, or ready in the reader below. */
    boolean ready() throws IOException {
        return at < end || in.ready();
    }

    private static String withoutCr(StringBuilder line) {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
