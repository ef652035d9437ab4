package org.cgledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.cgledger.core.event.CssReleased;
import org.cgledger.core.event.TaskAttached;
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
import org.cgledger.core.command.Uncharge;
import org.cgledger.core.command.Umount;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.decide.Evolver;
import org.cgledger.core.event.Event;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.Refcounts;
import org.cgledger.core.state.State;

/**
 * Random command sequences over three hierarchies (one without subsystems), under every policy.
 * After every command: an accepted one leaves every invariant of {@link Refcounts#violations}
 * intact and its events fold to the state it returned; a refused one changes nothing but may record
 * events (a refused rmdir; a mkdir -p refused after it made a group), which fold to the state it returned and are journaled like accepted ones. At the end, folding all events from the empty state gives the same state, and so does folding them from the empty state of the other layout ({@link State#EMPTY_SHARED}), event by event.
 */
class ModelProperties {

    /** One step: which command, and three numbers that pick its arguments from the live state. */
    record Step(int kind, int a, int b, int c) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 12),
                Arbitraries.integers().between(0, 1_000), Arbitraries.integers().between(0, 1_000),
                Arbitraries.integers().between(0, 1_000)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 1500)
    void everyCommandKeepsTheModelSound(@ForAll("steps") List<Step> steps, @ForAll PinPolicy pin,
                                        @ForAll RmdirPolicy rmdir) {
        State state = Decider.decide(State.EMPTY, new Init(List.of("A", "B", "C"), pin, rmdir)) instanceof
                Decision.Accepted a ? a.state() : null;
        List<Event> journal = new ArrayList<>(((Decision.Accepted) Decider.decide(State.EMPTY,
                new Init(List.of("A", "B", "C"), pin, rmdir))).events());
        for (Command setup : List.of(new Mount("A", "/H1"), new Mount("B,C", "/H2"),
                new Mount("none,name=x", "/H3"))) {
            Decision.Accepted a = (Decision.Accepted) Decider.decide(state, setup);
            journal.addAll(a.events());
            state = a.state();
        }
        int accepted = 0;
        boolean[] keptHalfWay = {false};
        for (Step step : steps) {
            Command c = interpret(state, step);
            Decision d = Decider.decide(state, c);
            if (d instanceof Decision.Accepted a) {
                accepted++;
                assertThat(Evolver.evolveAll(state, a.events())).as("fold of %s", c).isEqualTo(a.state());
                List<String> broken = Refcounts.violations(a.state());
                assertThat(broken).as("after %s: %s", c, a.events()).isEmpty();
                journal.addAll(a.events());
                state = a.state();
            } else {
                Decision.Rejected r = (Decision.Rejected) d;
                assertThat(Decider.decide(state, c)).as("refusals are deterministic").isEqualTo(d);
                if (r.records()) {
                    // a refused rmdir is journaled, and a mkdir -p refused after it made a group: apply
                    // them as a ledger does
                    assertThat(c).isInstanceOfAny(Rmdir.class, Mkdir.class);
                    if (c instanceof Mkdir m) {
                        assertThat(m.parents()).as("%s", c).isTrue();
                        keptHalfWay[0] = true;
                    }
                    assertThat(Evolver.evolveAll(state, r.recorded())).as("fold of refused %s", c)
                            .isEqualTo(r.state());
                    assertThat(Refcounts.violations(r.state())).as("after refused %s", c).isEmpty();
                    journal.addAll(r.recorded());
                    state = r.state();
                } else {
                    assertThat(r.state()).isNull();
                }
            }
            assertThat(state.lastEvent()).isEqualTo(journal.size());
        }
        assertThat(Evolver.evolveAll(State.EMPTY, journal)).isEqualTo(state);
        // and from the empty state whose maps copy paths (a journal's checkpoints), state by state
        State shared = State.EMPTY_SHARED;
        State dense = State.EMPTY;
        for (Event e : journal) {
            shared = Evolver.evolve(shared, e);
            dense = Evolver.evolve(dense, e);
            assertThat(shared).as("after %s", e).isEqualTo(dense);
        }
        Statistics.label("accepted share").collect(steps.size() < 20 ? "short" : accepted * 10 / steps.size() * 10 + "%");
        Statistics.label("events").collect(journal.stream().anyMatch(e -> e instanceof CssReleased) ? "css released"
                : "no css released");
        Statistics.label("moved").collect(journal.stream().anyMatch(e -> e instanceof TaskAttached t
                && !t.moved().isEmpty()) ? "objects moved" : "none moved");
        Statistics.label("events").coverage(cov -> cov.check("css released").percentage(p -> p > 8));
        Statistics.label("moved").coverage(cov -> cov.check("objects moved").percentage(p -> p > 0.3));
        Statistics.label("mkdir -p").collect(keptHalfWay[0] ? "refused, groups kept" : "not so");
        Statistics.label("mkdir -p").coverage(cov -> cov.check("refused, groups kept").percentage(p -> p > 5));
    }

    @Property(tries = 200)
    void sameCommandsSameEvents(@ForAll("steps") @Size(max = 100) List<Step> steps) {
        assertThat(run(steps)).isEqualTo(run(steps));
    }

    private static List<Event> run(List<Step> steps) {
        State state = State.EMPTY;
        List<Event> out = new ArrayList<>();
        List<Command> all = new ArrayList<>(List.of(new Init(List.of("A", "B", "C"), PinPolicy.CSS,
                RmdirPolicy.OFFLINE), new Mount("A", "/H1"), new Mount("B,C", "/H2")));
        for (Command c : all) {
            Decision.Accepted a = (Decision.Accepted) Decider.decide(state, c);
            out.addAll(a.events());
            state = a.state();
        }
        for (Step step : steps) {
            if (Decider.decide(state, interpret(state, step)) instanceof Decision.Accepted a) {
                out.addAll(a.events());
                state = a.state();
            }
        }
        return out;
    }

    /** Turns a step into a command aimed mostly at things that exist, sometimes at things that do not. */
    static Command interpret(State s, Step st) {
        List<String> paths = livePaths(s);
        List<Integer> pids = new ArrayList<>();
        s.tasks().forEach((p, t) -> pids.add(p.value()));
        pids.sort(null);
        String path = paths.isEmpty() ? "/H1" : paths.get(st.a() % paths.size());
        int pid = st.b() % 10 == 0 ? 1 + st.b() % 50 : pids.get(st.b() % pids.size());
        String object = "o" + (st.c() % 12);
        String name = String.valueOf((char) ('a' + st.c() % 4));
        List<Subsystem> subs = s.catalog().subsystems();
        return switch (st.kind()) {
            // with -p, now and then two new components, or one and then a control file on the way
            // (refused at the later component, the group made before it kept and journaled)
            case 0, 1 -> st.b() % 7 != 0 ? new Mkdir(path + "/" + name, false)
                    : new Mkdir(path + "/" + name + switch (st.c() % 3) {
                        case 0 -> "";
                        case 1 -> "/" + name;
                        default -> "/tasks/" + name;
                    }, true);
            case 2 -> new Rmdir(path);
            case 3 -> new Attach(st.c() % 23 == 0 ? "x" + pid : Integer.toString(pid), path);
            case 4 -> immigrate(s, st, paths, pid);
            case 5 -> new Fork(Pid.of(pid), st.c() % 5 == 0 ? Pid.of(1 + st.c() % 40) : null);
            case 6 -> new Exit(Pid.of(pid));
            case 7 -> new Charge(Pid.of(pid), subs.get(st.a() % subs.size()).name(), object, st.c() % 20,
                    st.a() % 3 == 0);
            case 8 -> new Uncharge(object, st.b() % 2 == 0 ? null : Pid.of(pid));
            case 9 -> new SetFile(path, subs.get(st.b() % subs.size()).name() + ".limit",
                    st.c() % 4 == 0 ? "max" : Integer.toString(st.c() % 60));
            case 10 -> new SetFile(path, subs.get(st.b() % subs.size()).name() + ".move_charge_at_immigrate",
                    st.c() % 4 == 0 ? "0" : "1");
            case 11 -> new SetFile(path, "notify_on_release", Integer.toString(st.c() % 2));
            default -> mountToggle(s, st);
        };
    }

    /** An attach aimed at move_charge_at_immigrate: a task holding objects into a cgroup with it set. */
    private static Command immigrate(State s, Step st, List<String> paths, int fallbackPid) {
        List<Integer> holders = new ArrayList<>();
        s.tasks().forEach((p, t) -> {
            if (!t.holds().isEmpty()) {
                holders.add(p.value());
            }
        });
        holders.sort(null);
        List<String> targets = new ArrayList<>();
        for (String p : paths) {
            var found = org.cgledger.core.decide.Paths.find(s, p);
            if (found instanceof org.cgledger.core.model.Result.Ok<org.cgledger.core.decide.Paths.Found> ok
                    && !ok.value().c().moveCharge().isEmpty()) {
                targets.add(p);
            }
        }
        int pid = holders.isEmpty() ? fallbackPid : holders.get(st.b() % holders.size());
        String path = !targets.isEmpty() ? targets.get(st.a() % targets.size())
                : paths.isEmpty() ? "/H1" : paths.get(st.a() % paths.size());
        return new Attach(Integer.toString(pid), path);
    }

    private static Command mountToggle(State s, Step st) {
        String[][] mounts = {{"A", "/H1"}, {"B,C", "/H2"}, {"none,name=x", "/H3"}, {"A", "/H1b"}};
        String[] m = mounts[st.a() % mounts.length];
        return s.mountPoints().containsKey(m[1]) ? new Umount(m[1]) : new Mount(m[0], m[1]);
    }

    static List<String> livePaths(State s) {
        List<String> out = new ArrayList<>();
        for (Hierarchy h : s.realHierarchies()) {
            if (h.isDetached()) {
                continue;
            }
            s.cgroups().forEach((id, c) -> {
                if (c.hierarchy().equals(h.id()) && !c.removed()) {
                    out.add(s.path(id));
                }
            });
        }
        out.sort(null);
        return out;
    }
}
