package org.cgledger.core.decide;

import java.util.List;
import java.util.Objects;
import org.cgledger.core.event.Event;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.state.State;

/**
 * What {@link Decider#decide} answers: the events to record, or a refusal with its errno (and the
 * few events a refusal still records).
 */
public sealed interface Decision {

    /**
     * Accepted. {@code events} may be empty (attaching a task to the cgroup it is in records
     * nothing).
     *
     * @param stream the one stream all events belong to: a hierarchy's, or the system stream
     *               ({@link HierarchyId#DEFAULT}: init, mount, umount, fork, exit, default-hierarchy charges);
     *               but a ledger journals each {@link org.cgledger.core.event.CgroupCreated} in its own
     *               hierarchy's, as a mkdir -p whose {@code ..} walks into another hierarchy makes groups in two
     * @param trail the state after each event, in order (what recording the refcounts each event
     *              changed needs); empty when there are no events
     * @param state the state after the events, equal to folding them with {@link Evolver#evolve}
     */
    record Accepted(HierarchyId stream, List<Event> events, List<State> trail, State state) implements Decision {
        public Accepted {
            Objects.requireNonNull(stream, "stream");
            events = List.copyOf(events);
            trail = List.copyOf(trail);
            Objects.requireNonNull(state, "state");
            if (trail.size() != events.size()) {
                throw new IllegalArgumentException("one state per event");
            }
        }
    }

    /**
     * Refused: the command's effect does not happen. A refusal may still leave a record: a refused
     * rmdir of an existing, non-root cgroup records one {@link org.cgledger.core.event.RmdirRefused}
     * in that cgroup's hierarchy stream, which a ledger journals like accepted events (it changes
     * no state but the event count); a {@code mkdir -p} refused at a later component records the
     * {@link org.cgledger.core.event.CgroupCreated} of the groups it made before it, as coreutils'
     * mkdir -p leaves them. {@code reason} names what blocks.
     *
     * @param stream   the stream {@code recorded} belongs to ({@link HierarchyId#DEFAULT} when it is empty)
     * @param recorded the events to record despite the refusal; usually empty
     * @param state    the state after folding {@code recorded} with {@link Evolver#evolve}; {@code null}
     *                 exactly when {@code recorded} is empty (nothing to apply)
     */
    record Rejected(Errno errno, String reason, HierarchyId stream, List<Event> recorded, State state)
            implements Decision {
        public Rejected {
            Objects.requireNonNull(errno, "errno");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(stream, "stream");
            recorded = List.copyOf(recorded);
            if (recorded.isEmpty() != (state == null)) {
                throw new IllegalArgumentException("state is null exactly when nothing is recorded");
            }
        }

        /** A refusal that records nothing. */
        public Rejected(Errno errno, String reason) {
            this(errno, reason, HierarchyId.DEFAULT, List.of(), null);
        }

        /** The kernel's message for the errno ("Device or resource busy"). */
        public String message() {
            return errno.message();
        }

        /** Whether the refusal leaves events to journal. */
        public boolean records() {
            return !recorded.isEmpty();
        }
    }
}
