package org.cgledger.core.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.cgledger.core.command.Command;
import org.cgledger.core.command.Init;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.command.Rmdir;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.model.Result;
import org.cgledger.core.state.State;

/**
 * {@link Paths#find}'s fast path for normalized text against the long way ({@link Paths#findParsed})
 * on every kind of path a user types: under each mount point (a hierarchy mounted twice too),
 * with empty, {@code .} and {@code ..} components, trailing slashes, control files, missing and
 * removed cgroups, a mount point followed by more than a slash ({@code /sys/fs/cgroup/cpuxa}),
 * prefixes of mount points and paths under none. Same cgroup, same path, or the
 * same refusal word for word.
 */
class PathsProperties {

    private static final List<String> NAMES = List.of("a", "b", "c", "tasks", "cgroup.procs", "cpu.shares", "x");
    private static final List<String> PREFIXES = List.of("/sys/fs/cgroup/cpu", "/sys/fs/cgroup/memory", "/mnt/cpu2",
            "/sys/fs/cgroup/systemd", "/sys/fs/cgroup", "/sys", "/", "/mnt", "/sys/fs/cgroup/cpuset", "",
            "/sys/fs/cgroup/cpuxa", "/mnt/cpu2xb");

    /** A state with three hierarchies (one mounted twice) and cgroups made and removed at random. */
    @Provide
    Arbitrary<State> states() {
        Arbitrary<Command> mkdirs = Arbitraries.of(PREFIXES.subList(0, 4))
                .flatMap(p -> Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(3)
                        .map(parts -> new Mkdir(p + "/" + String.join("/", parts), true)));
        Arbitrary<Command> rmdirs = Arbitraries.of(PREFIXES.subList(0, 3))
                .flatMap(p -> Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(3)
                        .map(parts -> new Rmdir(p + "/" + String.join("/", parts))));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, mkdirs), net.jqwik.api.Tuple.of(1, rmdirs))
                .list().ofMaxSize(40).map(cmds -> {
                    State s = State.EMPTY;
                    List<Command> setup = List.of(new Init(List.of("cpu", "memory"), PinPolicy.CSS, RmdirPolicy.STRICT),
                            new Mount("cpu", "/sys/fs/cgroup/cpu"), new Mount("cpu", "/mnt/cpu2"),
                            new Mount("memory", "/sys/fs/cgroup/memory"),
                            new Mount("none,name=systemd", "/sys/fs/cgroup/systemd"));
                    for (Command c : setup) {
                        s = ((Decision.Accepted) Decider.decide(s, c)).state();
                    }
                    for (Command c : cmds) {
                        if (Decider.decide(s, c) instanceof Decision.Accepted a) {
                            s = a.state();
                        }
                    }
                    return s;
                });
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> part = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.of(NAMES)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", ".", "..", "...", ".a")));
        return Arbitraries.of(PREFIXES).flatMap(p -> part.list().ofMaxSize(4).flatMap(parts ->
                Arbitraries.of("", "/").map(end -> {
                    String t = p + (parts.isEmpty() ? "" : "/" + String.join("/", parts)) + end;
                    return t.isEmpty() ? "/" : t;
                })));
    }

    @Provide
    Arbitrary<List<String>> manyTexts() {
        return texts().list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 600)
    void fastPathAnswersAsTheLongWay(@ForAll("states") State s, @ForAll("manyTexts") List<String> texts) {
        for (String text : texts) {
            Result<Paths.Found> fast = Paths.find(s, text);
            Result<Paths.Found> slow = Paths.findParsed(s, text);
            assertThat(fast).as(text).isEqualTo(slow);
        }
    }

    @Property(tries = 200)
    void normalizedIsWhatParsingLeavesAlone(@ForAll("texts") String text) {
        if (Paths.normalized(text)) {
            assertThat(org.cgledger.core.model.CgroupPath.parse(text))
                    .isInstanceOfSatisfying(Result.Ok.class, ok -> assertThat(ok.value().toString()).isEqualTo(text));
        }
    }
}
