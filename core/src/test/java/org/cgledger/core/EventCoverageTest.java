package org.cgledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.cgledger.core.command.Attach;
import org.cgledger.core.command.Charge;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Exit;
import org.cgledger.core.command.Fork;
import org.cgledger.core.command.Init;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.command.Rmdir;
import org.cgledger.core.command.SetFile;
import org.cgledger.core.command.Umount;
import org.cgledger.core.command.Uncharge;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.decide.Evolver;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.ReleaseNotified;
import org.cgledger.core.event.RmdirRefused;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.state.State;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * STYLE.md habit 2: a new event or command cannot be forgotten. One scenario emits every permitted
 * event type (the events refusals record included) and runs every permitted command type through
 * {@link Decider}; replaying its journal
 * with {@link Evolver} rebuilds the same state.
 */
@DisplayName("Every event and every command is produced and handled")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventCoverageTest {

    final Fixture f = new Fixture();
    final Set<Class<?>> accepted = new HashSet<>();
    final Set<Class<?>> rejected = new HashSet<>();

    void ok(Command c) {
        f.ok(c);
        accepted.add(c.getClass());
    }

    void no(Command c, Errno errno) {
        f.refused(c, errno);
        rejected.add(c.getClass());
    }

    @BeforeAll
    void scenario() {
        ok(new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.OFFLINE));      // LedgerInitialized
        no(new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.OFFLINE), Errno.EEXIST);
        ok(new Mount("A,name=h1", "/H1"));                                           // HierarchyMounted
        no(new Mount("bogus", "/M"), Errno.EINVAL);
        ok(new Mount("name=h1", "/H1b"));                                            // MountPointAdded
        ok(new Mkdir("/H1/foo", false));                                             // CgroupCreated
        no(new Mkdir("/H1/foo", false), Errno.EEXIST);
        ok(new Mkdir("/H1/bar", false));
        ok(new SetFile("/H1/foo", "notify_on_release", "1"));                        // NotifyOnReleaseSet
        ok(new SetFile("/H1/bar", "A.move_charge_at_immigrate", "1"));               // MoveChargeSet
        ok(new SetFile("/H1/bar", "A.limit", "100"));                                // LimitSet
        no(new SetFile("/H1/bar", "A.limit", "abc"), Errno.EINVAL);
        ok(new Fork(Pid.of(1), Pid.of(2)));                                          // TaskForked
        no(new Fork(Pid.of(9), null), Errno.ESRCH);
        ok(new Attach("2", "/H1/foo"));                                              // TaskAttached
        no(new Attach("abc", "/H1/foo"), Errno.EINVAL);
        ok(new Charge(Pid.of(2), "A", "file:1", 5, false));                          // ObjectCharged
        no(new Charge(Pid.of(2), "C", "file:2", 5, false), Errno.EINVAL);
        ok(new Charge(Pid.of(2), "A", "file:2", 1, false));
        ok(new Fork(Pid.of(2), Pid.of(3)));
        ok(new Uncharge("file:2", Pid.of(3)));                                       // HoldDropped
        no(new Uncharge("file:9", null), Errno.ENOENT);
        ok(new Attach("3", "/H1"));
        ok(new Attach("2", "/H1/bar"));      // file:1 moves; foo loses its last task: ReleaseNotified
        ok(new Exit(Pid.of(3)));
        no(new Exit(Pid.of(1)), Errno.EPERM);
        no(new Rmdir("/H1/bar"), Errno.EBUSY);  // task 2 is in bar: RmdirRefused
        ok(new Attach("2", "/H1"));
        ok(new Rmdir("/H1/bar"));            // CgroupRemoved; A2 dying (file:1 and file:2 pin it)
        no(new Rmdir("/H1"), Errno.EBUSY);
        ok(new Uncharge("file:1", null));    // ObjectReleased
        ok(new Exit(Pid.of(2)));             // file:2 released, then CssSetFreed, CssReleased
        ok(new Rmdir("/H1/foo"));
        ok(new Umount("/H1b"));              // MountPointRemoved
        no(new Umount("/nowhere"), Errno.EINVAL);
        ok(new Umount("/H1"));               // HierarchyDestroyed
    }

    static Set<Class<?>> permitted(Class<?> sealed) {
        assertThat(sealed.isSealed()).isTrue();
        return Arrays.stream(sealed.getPermittedSubclasses()).collect(Collectors.toSet());
    }

    @Nested
    @DisplayName("events")
    class Events {
        @Test
        @DisplayName("the scenario emits every permitted event type at least once")
        void everyEventEmitted() {
            Set<Class<?>> emitted = f.events.stream().map(Object::getClass).collect(Collectors.toSet());
            assertThat(emitted).isEqualTo(permitted(Event.class));
        }

        @Test
        @DisplayName("every permitted event is a record applied by Evolver: replaying the journal rebuilds the state")
        void everyEventEvolved() {
            for (Class<?> c : permitted(Event.class)) {
                assertThat(c.isRecord()).as("%s is a record", c.getSimpleName()).isTrue();
            }
            State replayed = State.EMPTY;
            for (Event e : f.events) {
                replayed = Evolver.evolve(replayed, e);
            }
            assertThat(replayed).isEqualTo(f.state);
            assertThat(replayed.lastEvent()).isEqualTo(f.events.size());
        }

        @Test
        @DisplayName("Evolver refuses an event that does not fit the state (a corrupt journal) instead of guessing")
        void evolverRejectsMisfit() {
            assertThatThrownBy(() -> Evolver.evolve(State.EMPTY, new ReleaseNotified(new CgroupId(1))))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> Evolver.evolve(f.state, new ReleaseNotified(new CgroupId(999))))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> Evolver.evolve(f.state, new RmdirRefused(new CgroupId(999), Errno.EBUSY, "x")))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    @DisplayName("commands")
    class Commands {
        @Test
        @DisplayName("the scenario runs every permitted command type through Decider, accepted")
        void everyCommandAccepted() {
            assertThat(accepted).isEqualTo(permitted(Command.class));
        }

        @Test
        @DisplayName("... and refused")
        void everyCommandRefused() {
            Set<Class<?>> all = permitted(Command.class);
            // Uncharge, Rmdir, Umount and the rest: every type has at least one refusal
            List<Class<?>> missing = new ArrayList<>(all);
            missing.removeAll(rejected);
            assertThat(missing).as("command types never refused in the scenario").isEmpty();
        }

        @Test
        @DisplayName("every command record is decided, never thrown at, on a fresh and on a used state")
        void noThrow() {
            List<Command> one = List.of(new Init(List.of("A"), PinPolicy.CSS, RmdirPolicy.STRICT),
                    new Mount("A", "/M"), new Umount("/M"), new Mkdir("/M/x", true), new Rmdir("/M/x"),
                    new Attach("1", "/M"), new Fork(Pid.of(1), null), new Exit(Pid.of(5)),
                    new Charge(Pid.of(1), "A", "o", 1, false), new Uncharge("o", null),
                    new SetFile("/M", "A.limit", "1"));
            assertThat(one.stream().map(Object::getClass).collect(Collectors.toSet()))
                    .isEqualTo(permitted(Command.class));
            for (State s : List.of(State.EMPTY, f.state)) {
                for (Command c : one) {
                    Decision d = Decider.decide(s, c);
                    assertThat(d).as("%s", c).isNotNull();
                }
            }
        }
    }
}
