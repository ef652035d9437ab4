package org.cgledger.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.cgledger.core.model.Errno;
import org.cgledger.core.state.State;
import org.cgledger.replay.TimeTravel;
import picocli.CommandLine.Option;

/**
 * Time travel for a view (a mixin): {@code --at-event N} or {@code --at TIME} shows the state as it
 * was after event N, or after the last event recorded at or before TIME, folded from the stored
 * journal with core's evolve, from the model snapshot nearest before it ({@link Session#travel}).
 * Neither: the ledger's state now. {@code --to-event N} is the same
 * (DESIGN.md §5 spells it so for {@code graph}, {@code replay} takes it, {@code who-holds} accepts both).
 */
final class AtOptions {

    @Option(names = {"--at-event", "--to-event"}, paramLabel = "N",
            description = "Show the state after event N (see 'cgledger log').")
    Long atEvent;

    @Option(names = "--at", paramLabel = "TIME",
            description = "Show the state at TIME, an ISO-8601 instant (2024-05-01T12:00:00Z).")
    String at;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** Which of an option's names {@code spec}'s command line was given ({@code first} if it cannot tell), for its messages. */
    static String typed(picocli.CommandLine.Model.CommandSpec spec, String first, String other) {
        picocli.CommandLine.ParseResult parsed = spec == null ? null : spec.commandLine().getParseResult();
        if (parsed == null) {
            return first;
        }
        // (picocli matches an option by any of its names: the words typed tell which)
        String last = first;
        for (String a : parsed.originalArgs()) {
            if (a.equals(other) || a.startsWith(other + "=")) {
                last = other;
            } else if (a.equals(first) || a.startsWith(first + "=")) {
                last = first;
            }
        }
        return last;
    }

    boolean given() {
        return atEvent != null || at != null;
    }

    /** The state to show: now, or read from the journal at the event or time asked for. */
    State state(Session session) {
        if (!given()) {
            return session.initializedState();
        }
        if (atEvent != null && at != null) {
            throw new UsageError("give --at-event or --at, not both");
        }
        // a malformed time is a usage error before the ledger is looked for (exit 2, not ENOENT)
        Instant time = at == null ? null : instant(at);
        return session.travel(j -> {
            long n = atEvent != null ? event(j, atEvent, typed(mixee, "--at-event", "--to-event")) : j.eventAt(time);
            return initialized(j.stateAt(n), n);
        });
    }

    /** {@code n} checked against the journal: 0..last. */
    static long event(TimeTravel j, long n, String option) {
        return event(j.lastEvent(), n, option);
    }

    /** {@link #event(TimeTravel, long, String)} for a journal ending at event {@code last}. */
    static long event(long last, long n, String option) {
        if (n < 0) {
            throw new UsageError(option + " " + n + ": event numbers start at 1 (0: before the first)");
        }
        if (n > last) {
            throw new UsageError(option + " " + n + ": the journal ends at event #" + last);
        }
        return n;
    }

    static State initialized(State s, long n) {
        if (!s.initialized()) {
            throw new Refused(null, Errno.ENOENT, "the ledger was not initialized yet at event #" + n);
        }
        return s;
    }

    /** An ISO-8601 instant ({@code 2024-05-01T12:00:00Z}) or date-time with an offset. */
    static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw new UsageError("'" + text + "' is not an ISO-8601 instant (like 2024-05-01T12:00:00Z)");
            }
        }
    }
}
