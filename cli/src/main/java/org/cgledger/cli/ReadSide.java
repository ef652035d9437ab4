package org.cgledger.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HierarchyMounted;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.state.State;
import org.cgledger.persistence.Journals;
import org.cgledger.persistence.Recorded;
import org.cgledger.replay.History;
import org.cgledger.replay.Journal;

/**
 * The read side over a journal held in memory (an in-memory ledger's records): the rows as a
 * durable ledger would store them, and a group's history by full replay (a durable ledger answers
 * that through its history index instead).
 */
final class ReadSide {

    private ReadSide() {
    }

    /** {@code records} as stored rows: each in its stream, numbered 1, 2, ... within the stream. */
    static List<Journals.Stored> rows(List<Recorded> records) {
        Map<HierarchyId, Long> nr = new HashMap<>();
        List<Journals.Stored> out = new ArrayList<>(records.size());
        for (Recorded r : records) {
            out.add(new Journals.Stored(persistenceId(r.stream()), nr.merge(r.stream(), 1L, Long::sum), r));
        }
        return out;
    }

    static String persistenceId(HierarchyId h) {
        return h.isDefault() ? "cgledger-system" : "cgledger-hierarchy-" + h.value();
    }

    /**
     * Every incarnation of {@code path}, or (with {@code id}) the one cgroup of that id, by a full
     * replay of {@code rows}. Empty when no such cgroup was ever created.
     */
    static List<History.Incarnation> history(List<Journals.Stored> rows, String path, CgroupId id) {
        if (id == null) {
            return History.replay(rows, path);
        }
        String at = null;
        State s = State.EMPTY;
        for (Journals.Stored row : rows) {
            Event e = row.record().event();
            s = Journal.apply(s, row);
            if (e instanceof CgroupCreated c && c.cgroup().equals(id)
                    || e instanceof HierarchyMounted m && m.root().equals(id) && at == null) {
                at = s.path(id);
                break;
            }
        }
        if (at == null) {
            return List.of();
        }
        return History.replay(rows, at).stream().filter(i -> i.cgroup().equals(id)).toList();
    }
}
