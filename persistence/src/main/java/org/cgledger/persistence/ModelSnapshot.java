package org.cgledger.persistence;

import java.util.List;
import java.util.Map;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetKey;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;

/**
 * The whole model at one event, as stored in the snapshot table: opening a ledger starts from
 * the latest one and replays only the events after it. Plain data; {@link StateCodec} converts.
 *
 * @param v schema version ({@link #VERSION} when written; 1 had no {@link TaskDto#forkedAt})
 * @param seq the ledger-wide number of the last event folded in
 * @param streams each stream's persistence id and its Pekko sequence number at {@code seq}
 */
public record ModelSnapshot(int v, long seq, Map<String, Long> streams, List<String> catalog, PinPolicy pin,
                            RmdirPolicy rmdir, List<HierarchyDto> hierarchies, List<CgroupDto> cgroups,
                            List<CssDto> css, List<CssSetDto> cssSets, List<Long> interned, List<TaskDto> tasks,
                            List<ObjectDto> objects, CountersDto counters) implements CgledgerSerializable {

    public static final int VERSION = 2;

    public record HierarchyDto(int id, String name, List<String> subsystems, List<String> mountPoints, long root) {
    }

    public record CgroupDto(long id, int hierarchy, Long parent, String name, Map<String, Long> children,
                            List<Integer> tasks, List<CssId> css, Long ownSet, boolean notifyOnRelease,
                            List<String> moveCharge, boolean removed) {
    }

    public record CssDto(CssId id, long cgroup, CssId parent, int refcount, long usage, long limit, String state,
                         int children, List<String> charged, List<Long> sets) {
    }

    public record CssSetDto(long id, CssSetKey key, int refcount, List<String> pinnedBy) {
    }

    /** @param forkedAt the event that forked the task; 0 (not known) in a version 1 snapshot, which had no such field */
    public record TaskDto(int pid, long cssSet, List<String> holds, long forkedAt) {
    }

    public record ObjectDto(String name, String subsys, CssId css, long amount, boolean cache, List<Integer> holders,
                            Long pinnedSet, int chargedBy, long chargedAt) {
    }

    public record CountersDto(int nextHierarchy, long nextCgroup, long nextCssSet, Map<String, Integer> nextCss,
                              int maxPid, long events) {
    }
}
