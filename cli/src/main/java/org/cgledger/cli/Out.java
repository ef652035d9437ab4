package org.cgledger.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import org.cgledger.core.model.Errno;
import org.cgledger.persistence.Recorded;

/**
 * Where a command's answer goes: plain text for a person, or one JSON object on stdout
 * ({@code --json}), errors included. Errors in text mode go to stderr as a shell prints them:
 * {@code rmdir: /H1/foo: Device or resource busy (EBUSY: ...)}.
 */
final class Out {

    final boolean json;
    private final PrintWriter out;
    private final PrintWriter err;
    private final CliContext cli;
    private final int line;

    /** Set by {@link #atEvent(long)}; null: the state now. */
    private Long atEvent;

    Out(CliContext cli, boolean json, int line) {
        this.json = json;
        this.out = cli.out;
        this.err = cli.err;
        this.cli = cli;
        this.line = line;
    }

    /** A line of text output (text mode only). */
    void println(String text) {
        out.println(printable(text));
    }

    /**
     * {@code text} as a command's answer prints it: every control character but newline and tab
     * written as an escape ({@code \r}, {@code \x1b}), and a backslash as {@code \\}, as refusals
     * write them. A name is the user's: one holding a carriage return or an escape sequence had
     * rewritten a line of {@code log} or {@code tree} on a terminal ({@code /H1/r\r#99 FAKE}), and
     * one holding a backslash and an r ({@code x\ry}) had read as one holding a carriage return.
     * Applied once, to the whole line: a part of it escaped before would be escaped twice. JSON
     * escapes them itself; {@code echo} prints its text as it is, as a shell's does.
     */
    static String printable(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escape = c == '\\' || Character.isISOControl(c) && c != '\n' && c != '\t';
            if (escape && b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (b != null) {
                b.append(escape ? visible(String.valueOf(c)) : String.valueOf(c));
            }
        }
        return b == null ? text : b.toString();
    }

    /** {@code text} printed as it is, for {@code echo}. */
    void printlnAsIs(String text) {
        out.println(text);
    }

    /** A new JSON answer: {@code {"line": N (in sh), "ok": true}}. */
    ObjectNode okNode() {
        ObjectNode n = cli.mapper().createObjectNode();
        if (line > 0) {
            n.put("line", line);
        }
        n.put("ok", true);
        if (atEvent != null) {
            n.put("atEvent", atEvent);
        }
        return n;
    }

    /**
     * The event a time-travelling view shows the state after ({@code --at-event}, {@code --at}):
     * its answers under {@code --json} say which it is, since {@code --at TIME} does not tell.
     */
    void atEvent(long event) {
        atEvent = event;
    }

    /** A new JSON object with only {@code "line": N} in it (in sh; empty elsewhere): a row of a JSON-lines answer. */
    ObjectNode lineObject() {
        ObjectNode n = cli.mapper().createObjectNode();
        if (line > 0) {
            n.put("line", line);
        }
        return n;
    }

    /** {@code n} and its noun, singular for 1: {@code 1 task}, {@code 2 tasks}. */
    static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** Whether this answers a line of {@code sh}: each JSON answer then names it. */
    boolean inSh() {
        return line > 0;
    }

    ArrayNode array() {
        return cli.mapper().createArrayNode();
    }

    ObjectNode object() {
        return cli.mapper().createObjectNode();
    }

    void emit(ObjectNode node) {
        out.println(text(node));
    }

    /** {@code node} as {@link #emit} prints it, one line of JSON. */
    String text(ObjectNode node) {
        try {
            return cli.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Success of a write: nothing in text mode; the events recorded in JSON. */
    void done(List<Recorded> events, ObjectNode extra) {
        if (!json) {
            return;
        }
        ObjectNode n = okNode();
        if (extra != null) {
            n.setAll(extra);
        }
        putEvents(n, events);
        emit(n);
    }

    /** {@code "events": [{"seq", "event", "refcounts"}]}, as a write answers them. */
    private static void putEvents(ObjectNode n, List<Recorded> events) {
        ArrayNode evs = n.putArray("events");
        for (Recorded r : events) {
            ObjectNode e = evs.addObject();
            e.put("seq", r.seq());
            e.put("event", r.event().getClass().getSimpleName());
            ObjectNode rc = e.putObject("refcounts");
            r.refcounts().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(x -> rc.put(x.getKey(), x.getValue()));
        }
    }

    /** A refusal by the model: {@code verb: subject: message (ERRNO: reason)}; returns exit code 1. */
    int refused(String verb, String subject, Errno errno, String reason) {
        return refused(verb, subject, errno, reason, List.of());
    }

    /**
     * A refusal by the model that journaled {@code events} (a refused rmdir's {@code RmdirRefused}):
     * under {@code --json} they are listed as a write lists its own (the answer had none).
     */
    int refused(String verb, String subject, Errno errno, String reason, List<Recorded> events) {
        if (json) {
            ObjectNode n = failNode(verb);
            n.put("errno", errno.name());
            n.put("error", errno.message());
            n.put("reason", reason);
            if (!events.isEmpty()) {
                putEvents(n, events);
            }
            emit(n);
        } else {
            err.println(verb + ": " + (subject == null ? "" : visible(subject) + ": ") + errno.message() + " ("
                    + errno.name() + ": " + visible(reason) + ")");
        }
        return 1;
    }

    /**
     * {@code text} with its control characters written as escapes ({@code \n}, {@code \0},
     * {@code \x1b}) and a backslash as {@code \\}: a refusal stays one line whatever name it
     * quotes, and a name with a backslash reads as no other (JSON escapes them itself). Applied
     * once, as the text is printed: a message that quotes a name holds it as it is.
     */
    static String visible(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' && !Character.isISOControl(c)) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            b.append(switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\t' -> "\\t";
                case '\r' -> "\\r";
                case '\0' -> "\\0";
                default -> String.format("\\x%02x", (int) c);
            });
        }
        return b == null ? text : b.toString();
    }

    /** A usage error: one line; returns exit code 2. */
    int usage(String prefix, String message) {
        if (json) {
            ObjectNode n = failNode(null);
            n.put("error", "usage");
            n.put("reason", message);
            emit(n);
        } else {
            // (a word it quotes, 'unknown command', may hold control characters: written as escapes)
            err.println(prefix + ": " + visible(message));
        }
        return 2;
    }

    private ObjectNode failNode(String verb) {
        ObjectNode n = cli.mapper().createObjectNode();
        if (line > 0) {
            n.put("line", line);
        }
        n.put("ok", false);
        if (verb != null) {
            n.put("command", verb);
        }
        return n;
    }
}
