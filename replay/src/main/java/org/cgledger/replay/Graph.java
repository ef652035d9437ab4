package org.cgledger.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cgledger.core.state.State;

/**
 * The reference graph of a state as Graphviz DOT: tasks and cgroup directories point to the
 * css_set they hold, css_sets to the css they contain, objects to what they pin (a css, or a
 * css_set under pin=cssset). Edges are references: each node's in-degree is its refcount.
 * Dying css are drawn dashed, unreachable ones red.
 */
public final class Graph {

    private Graph() {
    }

    /**
     * The graph in DOT. Each node's id names its kind ({@code "dir /H1"}, {@code "css A0"}), its
     * label what it is: an object may be named like a css, a css_set or a path ({@code charge 1 A
     * B0}), and had been drawn as that node.
     */
    public static String dot(State s) {
        StringBuilder b = new StringBuilder("digraph cgledger {\n  rankdir=LR;\n  node [fontname=\"monospace\"];\n");
        s.tasks().forEach((pid, t) -> b.append("  \"task ").append(pid).append("\" [shape=ellipse];\n")
                .append("  \"task ").append(pid).append("\" -> \"cssset ").append(t.cssSet()).append("\";\n"));
        s.cgroups().forEach((id, c) -> {
            if (c.ownSet() != null && !c.removed()) {
                String name = esc(s.path(id));
                b.append("  \"dir ").append(name).append("\" [shape=folder, label=\"").append(name)
                        .append("\"];\n  \"dir ").append(name).append("\" -> \"cssset ").append(c.ownSet()).append("\";\n");
            }
        });
        s.cssSets().forEach((id, set) -> {
            b.append("  \"cssset ").append(id).append("\" [shape=box, label=\"").append(id).append("\\nrefcount ")
                    .append(set.refcount()).append("\"];\n");
            set.key().css().forEach(c -> b.append("  \"cssset ").append(id).append("\" -> \"css ").append(c)
                    .append("\";\n"));
        });
        s.css().forEach((id, c) -> b.append("  \"css ").append(id).append("\" [shape=component, label=\"").append(id)
                .append("\\n").append(c.state().label()).append(" refcount ").append(c.refcount()).append("\"")
                .append(switch (c.state()) {
                    case DYING -> ", style=dashed";
                    case UNREACHABLE -> ", color=red";
                    default -> "";
                }).append("];\n"));
        s.objects().forEach((name, o) -> {
            String n = esc(name.toString());
            b.append("  \"object ").append(n).append("\" [shape=note, label=\"").append(n).append("\"];\n  \"object ")
                    .append(n).append("\" -> ").append(o.pinnedSet() != null ? "\"cssset " + o.pinnedSet()
                            : "\"css " + o.css()).append("\";\n");
        });
        return b.append("}\n").toString();
    }

    /**
     * {@code s} inside a DOT string: a control character written as the other views write it
     * ({@code \r}, {@code \x1b}) and a backslash as {@code \\} (so no two names give one node:
     * an ESC and a name's text {@code \x1b} had), then a backslash and a quote escaped as DOT reads
     * them, so that a label shows that text: raw, a name's ESC or CR reached the terminal.
     */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                b.append("\\\\\\\\");
            } else if (c == '"') {
                b.append('\\').append(c);
            } else if (Character.isISOControl(c)) {
                b.append("\\\\").append(switch (c) {
                    case '\n' -> "n";
                    case '\t' -> "t";
                    case '\r' -> "r";
                    case '\0' -> "0";
                    default -> String.format("x%02x", (int) c);
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * SVG rendered by Graphviz's {@code dot} on the PATH.
     *
     * @throws IOException if {@code dot} is not installed or fails
     */
    public static String svg(String dot) throws IOException {
        return render(dot, List.of("dot", "-Tsvg"), java.time.Duration.ofSeconds(60));
    }

    /**
     * The output of {@code command} given {@code dot} on its stdin; its first line of stderr says why
     * it failed. Its stdin is written and its stdout read on threads of their own, and it is stopped
     * after {@code timeout}: a program that hung held the command for ever (its stdout never closed),
     * and one that ended without reading all its input was said to have failed with "Broken pipe",
     * its own reason lost.
     */
    static String render(String dot, List<String> command, java.time.Duration timeout) throws IOException {
        // its messages go to a file (read after it ends: two pipes read in turn could block it)
        java.nio.file.Path errors = java.nio.file.Files.createTempFile("cgledger-dot", ".err");
        Process p = null;
        try {
            p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            Process running = p;
            byte[] input = dot.getBytes(StandardCharsets.UTF_8);
            java.util.concurrent.CompletableFuture<Void> writing = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (java.io.OutputStream in = running.getOutputStream()) {
                    in.write(input);
                } catch (IOException ended) {
                    // it ended before reading all of it: its status and stderr say why
                }
            }, Graph::daemon);
            java.util.concurrent.CompletableFuture<byte[]> reading = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return running.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, Graph::daemon);
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IOException(command.get(0) + " did not finish in " + timeout.toSeconds() + " s");
                }
                writing.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                byte[] out = reading.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (p.exitValue() != 0) {
                    String said = java.nio.file.Files.readAllLines(errors, StandardCharsets.UTF_8).stream()
                            .filter(l -> !l.isBlank()).findFirst().orElse("no message").strip();
                    throw new IOException(command.get(0) + " exited with status " + p.exitValue() + ": " + said);
                }
                return new String(out, StandardCharsets.UTF_8);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("cannot read what " + command.get(0) + " wrote: " + (e.getCause() != null
                        ? e.getCause().getMessage() : "it kept its output open"), e);
            }
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
            java.nio.file.Files.deleteIfExists(errors);
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "cgledger-graphviz");
        t.setDaemon(true);
        t.start();
    }
}
