package org.cgledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssState;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.CssSet;
import org.cgledger.core.state.Refcounts;
import org.cgledger.core.state.State;

/** A ledger in a test: commands in, every accepted event kept, invariants checked after each. */
public final class Fixture {

    public State state = State.EMPTY;
    public final List<Event> events = new ArrayList<>();

    public static Fixture init(PinPolicy pin, RmdirPolicy rmdir, String... subsystems) {
        return new Fixture().ok(new Init(Arrays.asList(subsystems), pin, rmdir));
    }

    public static Fixture seed(PinPolicy pin, RmdirPolicy rmdir) {
        return init(pin, rmdir, "A", "B");
    }

    public Decision decide(Command c) {
        return Decider.decide(state, c);
    }

    /** Runs {@code c}, which must be accepted; checks the invariants and the fold of its events. */
    public Fixture ok(Command c) {
        Decision d = Decider.decide(state, c);
        assertThat(d).as("%s", c).isInstanceOf(Decision.Accepted.class);
        Decision.Accepted a = (Decision.Accepted) d;
        assertThat(Evolver.evolveAll(state, a.events())).isEqualTo(a.state());
        state = a.state();
        events.addAll(a.events());
        assertThat(Refcounts.violations(state)).as("after %s", c).isEmpty();
        return this;
    }

    /**
     * Runs {@code c}, which must be refused with {@code errno}. The model must not change; the
     * events the refusal records (a refused rmdir) are kept and applied, as a ledger journals them.
     */
    public Decision.Rejected refused(Command c, Errno errno) {
        Decision d = Decider.decide(state, c);
        assertThat(d).as("%s", c).isInstanceOf(Decision.Rejected.class);
        Decision.Rejected r = (Decision.Rejected) d;
        assertThat(r.errno()).as("%s: %s", c, r.reason()).isEqualTo(errno);
        if (r.records()) {
            assertThat(Evolver.evolveAll(state, r.recorded())).isEqualTo(r.state());
            state = r.state();
            events.addAll(r.recorded());
            assertThat(Refcounts.violations(state)).as("after %s", c).isEmpty();
        } else {
            assertThat(r.state()).isNull();
        }
        return r;
    }

    public List<Event> lastEvents(Command c) {
        int before = events.size();
        ok(c);
        return events.subList(before, events.size());
    }

    public Fixture mount(String options, String mp) {
        return ok(new Mount(options, mp));
    }

    public Fixture umount(String mp) {
        return ok(new Umount(mp));
    }

    public Fixture mkdir(String path) {
        return ok(new Mkdir(path, false));
    }

    public Fixture rmdir(String path) {
        return ok(new Rmdir(path));
    }

    public Fixture attach(int pid, String path) {
        return ok(new Attach(Integer.toString(pid), path));
    }

    public Fixture fork(int parent, int child) {
        return ok(new Fork(Pid.of(parent), Pid.of(child)));
    }

    public Fixture exit(int pid) {
        return ok(new Exit(Pid.of(pid)));
    }

    public Fixture charge(int pid, String subsys, String object, long amount) {
        return ok(new Charge(Pid.of(pid), subsys, object, amount, false));
    }

    public Fixture cache(int pid, String subsys, String object, long amount) {
        return ok(new Charge(Pid.of(pid), subsys, object, amount, true));
    }

    public Fixture uncharge(String object) {
        return ok(new Uncharge(object, null));
    }

    public Fixture set(String path, String file, String value) {
        return ok(new SetFile(path, file, value));
    }

    public CssId css(String name) {
        return CssId.parse(name, state.catalog().subsystems()).orElseThrow();
    }

    public int cssRef(String name) {
        Css c = state.css(css(name));
        assertThat(c).as("css %s is live", name).isNotNull();
        return c.refcount();
    }

    public CssState cssState(String name) {
        Css c = state.css(css(name));
        return c == null ? CssState.RELEASED : c.state();
    }

    public long usage(String name) {
        return state.css(css(name)).usage();
    }

    public boolean setLive(String name) {
        return state.cssSet(CssSetId.parse(name).orElseThrow()) != null;
    }

    public int setRef(String name) {
        CssSet s = state.cssSet(CssSetId.parse(name).orElseThrow());
        assertThat(s).as("css_set %s is live", name).isNotNull();
        return s.refcount();
    }

    public String setOf(int pid) {
        return state.task(Pid.of(pid)).cssSet().toString();
    }

    /** The css names of a css_set's tuple, as "{A1,B0}". */
    public String tuple(String set) {
        CssSet s = state.cssSet(CssSetId.parse(set).orElseThrow());
        return "{" + String.join(",", s.key().css().stream().map(CssId::toString).toList()) + "}";
    }
}
