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

    public static String dot(State s) {
        StringBuilder b = new StringBuilder("digraph cgledger {\n  rankdir=LR;\n  node [fontname=\"monospace\"];\n");
        s.tasks().forEach((pid, t) -> b.append("  \"task ").append(pid).append("\" [shape=ellipse];\n")
                .append("  \"task ").append(pid).append("\" -> \"").append(t.cssSet()).append("\";\n"));
        s.cgroups().forEach((id, c) -> {
            if (c.ownSet() != null && !c.removed()) {
                String name = s.path(id);
                b.append("  \"").append(esc(name)).append("\" [shape=folder];\n  \"").append(esc(name)).append("\" -> \"")
                        .append(c.ownSet()).append("\";\n");
            }
        });
        s.cssSets().forEach((id, set) -> {
            b.append("  \"").append(id).append("\" [shape=box, label=\"").append(id).append("\\nrefcount ")
                    .append(set.refcount()).append("\"];\n");
            set.key().css().forEach(c -> b.append("  \"").append(id).append("\" -> \"").append(c).append("\";\n"));
        });
        s.css().forEach((id, c) -> b.append("  \"").append(id).append("\" [shape=component, label=\"").append(id)
                .append("\\n").append(c.state().label()).append(" refcount ").append(c.refcount()).append("\"")
                .append(switch (c.state()) {
                    case DYING -> ", style=dashed";
                    case UNREACHABLE -> ", color=red";
                    default -> "";
                }).append("];\n"));
        s.objects().forEach((name, o) -> b.append("  \"").append(esc(name.toString())).append("\" [shape=note];\n  \"")
                .append(esc(name.toString())).append("\" -> \"")
                .append(o.pinnedSet() != null ? o.pinnedSet().toString() : o.css().toString()).append("\";\n"));
        return b.append("}\n").toString();
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * SVG rendered by Graphviz's {@code dot} on the PATH.
     *
     * @throws IOException if {@code dot} is not installed or fails
     */
    public static String svg(String dot) throws IOException {
        return render(dot, List.of("dot", "-Tsvg"));
    }

    /** The output of {@code command} given {@code dot} on its stdin; its first line of stderr says why it failed. */
    static String render(String dot, List<String> command) throws IOException {
        // its messages go to a file (read after it ends: two pipes read in turn could block it)
        java.nio.file.Path errors = java.nio.file.Files.createTempFile("cgledger-dot", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            p.getOutputStream().write(dot.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("dot did not finish in 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (p.exitValue() != 0) {
                String said = java.nio.file.Files.readAllLines(errors, StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.isBlank()).findFirst().orElse("no message").strip();
                throw new IOException(command.get(0) + " exited with status " + p.exitValue() + ": " + said);
            }
            return out;
        } finally {
            java.nio.file.Files.deleteIfExists(errors);
        }
    }
}
