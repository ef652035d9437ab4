package org.cgledger.persistence;

import java.util.ArrayList;
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
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;

/** Command lists for persistence tests. */
final class Scenarios {

    private Scenarios() {
    }

    /**
     * The one refused command of {@link #everyEvent()}: rmdir of /H1/bar while task 2 is in it
     * (EBUSY), which records a {@code RmdirRefused}. Compare by identity: an equal rmdir is accepted later.
     */
    static final Command REFUSED_RMDIR = new Rmdir("/H1/bar");

    /**
     * Commands whose events cover every event type (core's EventCoverageTest scenario): all
     * accepted but {@link #REFUSED_RMDIR}, refused with EBUSY and journaled.
     */
    static List<Command> everyEvent() {
        List<Command> out = new ArrayList<>(version1());
        out.add(out.indexOf(new Attach("2", "/H1")), REFUSED_RMDIR);
        return List.copyOf(out);
    }

    /** Whether {@code c} is the command of {@link #everyEvent()} that is refused ({@link #REFUSED_RMDIR}). */
    static boolean refused(Command c) {
        return c == REFUSED_RMDIR;
    }

    /** The scenario the version-1 journal fixture was written from: accepted commands only, no refusal recorded. */
    static List<Command> version1() {
        return List.of(
                new Init(List.of("A", "B"), PinPolicy.CSS, RmdirPolicy.OFFLINE),
                new Mount("A,name=h1", "/H1"),
                new Mount("name=h1", "/H1b"),
                new Mount("B", "/H2"),
                new Mount("none,name=n", "/H3"),
                new Mkdir("/H1/foo", false),
                new Mkdir("/H1/bar", false),
                new Mkdir("/H3/x", false),
                new SetFile("/H1/foo", "notify_on_release", "1"),
                new SetFile("/H1/bar", "A.move_charge_at_immigrate", "1"),
                new SetFile("/H1/bar", "A.limit", "100"),
                new Fork(Pid.of(1), Pid.of(2)),
                new Attach("2", "/H1/foo"),
                new Attach("2", "/H3/x"),
                new Charge(Pid.of(2), "A", "file:1", 5, false),
                new Charge(Pid.of(2), "A", "file:2", 1, false),
                new Charge(Pid.of(2), "B", "page:1", 3, true),
                new Fork(Pid.of(2), Pid.of(3)),
                new Uncharge("file:2", Pid.of(3)),
                new Attach("3", "/H1"),
                new Attach("2", "/H1/bar"),
                new Exit(Pid.of(3)),
                new Attach("2", "/H1"),
                new Rmdir("/H1/bar"),
                new Uncharge("file:1", null),
                new Exit(Pid.of(2)),
                new Rmdir("/H1/foo"),
                new Umount("/H1b"),
                new Umount("/H1"));
    }
}
