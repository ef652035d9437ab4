package org.cgledger.core.decide;

import java.util.List;
import java.util.Objects;
import org.cgledger.core.event.Event;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.state.State;

/** What {@link Decider#decide} answers: the events to record, or a refusal with its errno. */
public sealed interface Decision {

    /**
     * Accepted. {@code events} may be empty (attaching a task to the cgroup it is in records
     * nothing).
     *
     * @param stream the one stream all events belong to: a hierarchy's, or the system stream
     *               ({@link HierarchyId#DEFAULT}: init, mount, umount, fork, exit, default-hierarchy charges)
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

    /** Refused: nothing changes. {@code reason} names what blocks. */
    record Rejected(Errno errno, String reason) implements Decision {
        public Rejected {
            Objects.requireNonNull(errno, "errno");
            Objects.requireNonNull(reason, "reason");
        }

        /** The kernel's message for the errno ("Device or resource busy"). */
        public String message() {
            return errno.message();
        }
    }
}
