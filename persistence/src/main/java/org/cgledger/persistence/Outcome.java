package org.cgledger.persistence;

import java.util.List;
import java.util.Objects;
import org.cgledger.core.model.Errno;

/** What executing one command gave: its recorded events (durable once returned), or a refusal. */
public sealed interface Outcome {

    /** Accepted; {@code events} is empty when the command changed nothing. */
    record Done(List<Recorded> events) implements Outcome {
        public Done {
            events = List.copyOf(events);
        }
    }

    /**
     * Refused by the model: the command's effect did not happen. A refused rmdir of an existing
     * cgroup still journals one {@code RmdirRefused}, and a mkdir -p refused at a later component the
     * {@code CgroupCreated} of the groups it made before it (durable once returned): its {@code events};
     * nothing else does ({@code events} empty).
     */
    record Refused(Errno errno, String reason, List<Recorded> events) implements Outcome {
        public Refused {
            Objects.requireNonNull(errno, "errno");
            Objects.requireNonNull(reason, "reason");
            events = List.copyOf(events);
        }

        /** A refusal that journals nothing. */
        public Refused(Errno errno, String reason) {
            this(errno, reason, List.of());
        }
    }
}
