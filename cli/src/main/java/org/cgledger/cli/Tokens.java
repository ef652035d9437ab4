package org.cgledger.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an {@code sh} line into words as a POSIX shell does for the simple lines cgledger runs:
 * spaces and tabs separate, single quotes keep everything, double quotes keep everything but
 * {@code \"} and {@code \\}, a backslash escapes the next character, an unquoted {@code #} at the
 * start of a word begins a comment, and an unquoted {@code >} or {@code >>} is a word of its own ({@link #REDIRECT}, {@link #APPEND}).
 */
public final class Tokens {

    /** An unquoted {@code >}: distinct from a quoted one, which is a plain word. */
    public static final String REDIRECT = "\u0000>";
    /** An unquoted {@code >>}. */
    public static final String APPEND = "\u0000>>";

    private Tokens() {
    }

    /** The words of {@code line}; a {@link UsageError} for an unterminated quote or a trailing backslash. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new UsageError("unterminated quote (')");
                }
                cur.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = line.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                        cur.append(line.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    cur.append(d);
                    i++;
                }
                if (!closed) {
                    throw new UsageError("unterminated quote (\")");
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new UsageError("trailing backslash");
                }
                cur.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (c == ' ' || c == '\t') {
                // a shell's default IFS (a newline ends the line first): a carriage return, a form
                // feed or any other white space is a character of the word, as bash reads it
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '#' && !inWord) {
                break;
            } else if (c == ';' || c == '&' || c == '|' || c == '<' || c == '`') {
                // a shell would run a list, a pipe or a substitution here: refused, never a name
                throw new UsageError("'" + c + "' is shell syntax sh does not run (one command per line; "
                        + "quote it to use it in a name)");
            } else if (c == '>') {
                if (inWord && !cur.isEmpty() && cur.chars().allMatch(d -> d >= '0' && d <= '9')
                        && line.charAt(i - 1) == cur.charAt(cur.length() - 1)) {
                    // (2> in a shell redirects file descriptor 2; "2"> or 2 > writes 2)
                    throw new UsageError("'" + cur + ">' redirects a file descriptor, which sh does not do "
                            + "(to write " + cur + ": echo " + cur + " > FILE)");
                }
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                if (i + 1 < n && line.charAt(i + 1) == '>') {
                    words.add(APPEND);
                    i += 2;
                } else {
                    words.add(REDIRECT);
                    i++;
                }
            } else {
                cur.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }
}
