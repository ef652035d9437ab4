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
    private static String typed(picocli.CommandLine.Model.CommandSpec spec, String first, String other) {
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

    /**
     * The time asked for (null: none), checked before the ledger is looked for: both options, or a
     * malformed time, are a usage error (exit 2, not ENOENT).
     */
    Instant time() {
        if (atEvent != null && at != null) {
            throw new UsageError("give --at-event or --at, not both");
        }
        return at == null ? null : instant(at);
    }

    /**
     * The event asked for in a journal ending at {@code last}: the one given (checked, named by the
     * option typed), or the last recorded at {@code time} ({@code eventAt}), or {@code last}.
     */
    long event(long last, Instant time, java.util.function.Function<Instant, Long> eventAt) {
        return atEvent != null ? event(last, atEvent, typed(mixee, "--at-event", "--to-event"))
                : time != null ? eventAt.apply(time) : last;
    }

    /** {@link #state(Session)}, telling {@code out} which event it shows when it is not now ({@link Out#atEvent}). */
    State state(Session session, Out out) {
        State s = state(session);
        if (given()) {
            out.atEvent(s.lastEvent());
        }
        return s;
    }

    /** The state to show: now, or read from the journal at the event or time asked for. */
    State state(Session session) {
        if (!given()) {
            return session.initializedState();
        }
        Instant time = time();
        return session.travel(j -> {
            long n = event(j.lastEvent(), time, j::eventAt);
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
