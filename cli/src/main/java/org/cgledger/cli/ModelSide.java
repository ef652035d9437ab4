package org.cgledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cgledger.cli.conformance.Outcome;
import org.cgledger.cli.conformance.Side;
import org.cgledger.cli.conformance.Snapshot;
import org.cgledger.core.model.Pid;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.State;
import org.cgledger.persistence.InMemoryLedger;
import org.cgledger.persistence.Ledger;

/**
 * The model side of a conformance run: a fresh in-memory ledger, each line run exactly as
 * {@code cgledger --in-memory sh} runs it, its outcome read from the line's JSON answer.
 */
public final class ModelSide implements Side {

    private final StringWriter out = new StringWriter();
    private final Session session;
    private final ShLines lines;
    private final ObjectMapper mapper = new ObjectMapper();

    public ModelSide() {
        CliContext cli = new CliContext(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                new LedgerOpener() {
                    private final InMemoryLedger memory = new InMemoryLedger();

                    @Override
                    public Ledger open(Path dir) {
                        return memory;
                    }

                    @Override
                    public boolean exists(Path dir) {
                        return false;
                    }
                }, Map.of(), new ByteArrayInputStream(new byte[0]), false);
        GlobalOptions options = new GlobalOptions();
        options.json = true;
        options.inMemory = true;
        cli.rootOptions = options;
        session = cli.session(options);
        session.inSh = true;
        lines = new ShLines(cli, session, CgLedger.createLineCommandLine(cli));
    }

    @Override
    public Outcome run(int number, String text, List<String> words) {
        out.getBuffer().setLength(0);
        ShLines.Ran ran = lines.run(number, text);
        Outcome result = null;
        List<String> output = null;
        for (String json : out.toString().split("\n")) {
            if (json.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = mapper.readTree(json);
            } catch (IOException e) {
                throw new IllegalStateException("the model printed something that is not JSON: " + json, e);
            }
            if (!n.path("ok").asBoolean(false) && result == null) {
                String errno = n.hasNonNull("errno") ? n.get("errno").asText() : n.path("error").asText("error");
                result = Outcome.failed(errno, n.path("reason").asText(null));
            }
            for (String field : List.of("lines", "entries")) {
                if (n.has(field)) {
                    output = new ArrayList<>();
                    for (JsonNode x : n.get(field)) {
                        output.add(x.asText());
                    }
                }
            }
        }
        if (result != null) {
            return result;
        }
        return ran.code() == 0 ? Outcome.ok(output) : Outcome.failed("exit" + ran.code(), null);
    }

    /** Every named hierarchy without subsystems (the kind the kernel side mounts), mounted or detached. */
    @Override
    public Snapshot snapshot(Set<String> expected) {
        State s = session.state();
        Map<String, Map<String, List<Integer>>> all = new TreeMap<>();
        if (!s.initialized()) {
            return Snapshot.of(all);
        }
        for (Hierarchy h : s.realHierarchies()) {
            if (h.hasSubsystems() || h.name().isEmpty()) {
                continue;
            }
            Map<String, List<Integer>> groups = new TreeMap<>();
            walk(s, s.cgroup(h.root()), "/", groups);
            all.put(h.name(), groups);
        }
        return Snapshot.of(all);
    }

    private static void walk(State s, Cgroup c, String path, Map<String, List<Integer>> groups) {
        if (c.removed()) {
            return;
        }
        groups.put(path, c.tasks().sorted(null).stream().map(Pid::value).toList());
        for (String name : c.children().keys()) {
            walk(s, s.cgroup(c.children().get(name)), (path.equals("/") ? "/" : path + "/") + name, groups);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
