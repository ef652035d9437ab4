package org.cgledger.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.cgledger.core.event.Event;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;

/**
 * The values an option takes, for the completion script ({@code completionCandidates}): the shell
 * offers them after the option, as it offers subcommands and options.
 */
final class Candidates {

    private Candidates() {
    }

    /** {@code graph --format}. */
    static final class Formats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("dot", "svg").iterator();
        }
    }

    /** {@code init --pin}. */
    static final class Pins implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(PinPolicy.values()).map(PinPolicy::label).iterator();
        }
    }

    /** {@code init --rmdir}. */
    static final class RmdirPolicies implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(RmdirPolicy.values()).map(RmdirPolicy::label).iterator();
        }
    }

    /** {@code log --type}: the journal's event types. */
    static final class EventTypes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Event.class.getPermittedSubclasses()).map(Class::getSimpleName).sorted().iterator();
        }
    }

    /** {@code mount -t}. */
    static final class MountTypes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("cgroup", "container").iterator();
        }
    }
}
