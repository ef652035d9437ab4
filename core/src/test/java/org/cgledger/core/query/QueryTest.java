package org.cgledger.core.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.cgledger.core.Fixture;
import org.cgledger.core.command.Attach;
import org.cgledger.core.command.Charge;
import org.cgledger.core.command.Fork;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.command.SetFile;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.Result;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.state.Refcounts;
import org.cgledger.core.state.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QueryTest {

    /** The seed after step 6: T in N3={A1,B1}, file:1 charged to A1. */
    static Fixture seedStep6(PinPolicy pin) {
        return Fixture.seed(pin, RmdirPolicy.STRICT)
                .ok(new Mount("A", "/H1")).ok(new Mount("B", "/H2"))
                .ok(new Mkdir("/H1/foo", false)).ok(new Mkdir("/H2/bar", false))
                .ok(new Attach("1", "/H1/foo")).ok(new Attach("1", "/H2/bar"))
                .ok(new Charge(Pid.INIT, "A", "file:1", 1, false));
    }

    static CssId css(String subsys, int n) {
        return new CssId(Subsystem.of(subsys), n);
    }

    @Nested
    @DisplayName("holders")
    class HoldersOf {

        @Test
        @DisplayName("a css is held by the css_sets containing it and the objects pinning it; their number is its refcount")
        void cssHolders() {
            State s = seedStep6(PinPolicy.CSS).state;
            List<Holder> a1 = Holders.ofCss(s, css("A", 1));
            assertThat(a1).hasSize(3);
            assertThat(a1.subList(0, 2)).containsExactly(new Holder.OfCssSet(new CssSetId(1)),
                    new Holder.OfCssSet(new CssSetId(3)));
            assertThat(((Holder.OfObject) a1.get(2)).object().name().value()).isEqualTo("file:1");
            assertThat(a1).hasSize(s.css(css("A", 1)).refcount());
        }

        @Test
        @DisplayName("a root css is found in every css_set that contains it")
        void rootCss() {
            State s = seedStep6(PinPolicy.CSS).state;
            assertThat(Holders.ofCss(s, css("B", 0))).containsExactly(new Holder.OfCssSet(new CssSetId(0)),
                    new Holder.OfCssSet(new CssSetId(1)));
        }

        @Test
        @DisplayName("a css_set is held by tasks, directories and (pin=cssset) objects")
        void cssSetHolders() {
            State s = seedStep6(PinPolicy.CSSSET).ok(new Fork(Pid.INIT, Pid.of(7))).state;
            List<Holder> n3 = Holders.ofCssSet(s, new CssSetId(3));
            assertThat(n3.subList(0, 2)).containsExactly(new Holder.OfTask(Pid.INIT), new Holder.OfTask(Pid.of(7)));
            assertThat(((Holder.OfObject) n3.get(2)).object().name().value()).isEqualTo("file:1");
            List<Holder> n0 = Holders.ofCssSet(s, CssSetId.INITIAL);
            assertThat(n0).hasSize(2).allMatch(h -> h instanceof Holder.OfDirectory);
        }

        @Test
        @DisplayName("the holders of every counter add up to the recomputed refcounts")
        void addUp() {
            State s = seedStep6(PinPolicy.CSS).state;
            Refcounts.Counts want = Refcounts.recompute(s);
            s.css().forEach((id, c) -> assertThat(Holders.ofCss(s, id)).hasSize(want.css().getOrDefault(id, 0)));
            s.cssSets().forEach((id, c) -> assertThat(Holders.ofCssSet(s, id))
                    .hasSize(want.cssSets().getOrDefault(id, 0)));
        }

        @Test
        @DisplayName("the holders of every css_set at once are each css_set's holders, in the same order")
        void allCssSets() {
            for (PinPolicy pin : PinPolicy.values()) {
                State s = seedStep6(pin).ok(new Fork(Pid.INIT, Pid.of(7))).ok(new Fork(Pid.of(7), Pid.of(3))).state;
                Map<CssSetId, List<Holder>> all = Holders.ofCssSets(s);
                assertThat(all).hasSize(s.cssSets().size());
                s.cssSets().forEach((id, c) -> assertThat(all.get(id)).as(id.toString())
                        .isEqualTo(Holders.ofCssSet(s, id)));
            }
        }
    }

    @Nested
    @DisplayName("cgroupfs files")
    class Files {

        @Test
        @DisplayName("tasks lists pids sorted, one per line")
        void tasksSorted() {
            State s = seedStep6(PinPolicy.CSS).ok(new Fork(Pid.INIT, Pid.of(9))).ok(new Fork(Pid.INIT, Pid.of(3)))
                    .state;
            assertThat(CgroupFiles.read(s, "/H1/foo/tasks")).isEqualTo(Result.ok(List.of("1", "3", "9")));
            assertThat(CgroupFiles.read(s, "/H1/tasks")).isEqualTo(Result.ok(List.of()));
            assertThat(CgroupFiles.read(s, "/H1/foo/cgroup.procs")).isEqualTo(Result.ok(List.of("1", "3", "9")));
        }

        @Test
        @DisplayName("usage, limit, flags and release_agent read as the kernel prints them")
        void values() {
            State s = seedStep6(PinPolicy.CSS).ok(new SetFile("/H1/foo", "A.limit", "10"))
                    .ok(new SetFile("/H1/foo", "notify_on_release", "1")).state;
            assertThat(CgroupFiles.read(s, "/H1/foo/A.usage")).isEqualTo(Result.ok(List.of("1")));
            assertThat(CgroupFiles.read(s, "/H1/A.usage")).isEqualTo(Result.ok(List.of("1")));
            assertThat(CgroupFiles.read(s, "/H1/foo/A.limit")).isEqualTo(Result.ok(List.of("10")));
            assertThat(CgroupFiles.read(s, "/H1/A.limit")).isEqualTo(Result.ok(List.of("max")));
            assertThat(CgroupFiles.read(s, "/H1/foo/notify_on_release")).isEqualTo(Result.ok(List.of("1")));
            assertThat(CgroupFiles.read(s, "/H1/foo/A.move_charge_at_immigrate")).isEqualTo(Result.ok(List.of("0")));
            assertThat(CgroupFiles.read(s, "/H1/release_agent")).isEqualTo(Result.ok(List.of("")));
            // a file named as a directory, as the kernel's path walk answers it
            assertThat(CgroupFiles.read(s, "/H1/foo/A.usage/")).isInstanceOfSatisfying(Result.Refused.class,
                    r -> assertThat(r.errno()).isEqualTo(Errno.ENOTDIR));
            assertThat(CgroupFiles.read(s, "/H1/foo/A.usage/.")).isInstanceOfSatisfying(Result.Refused.class,
                    r -> assertThat(r.errno()).isEqualTo(Errno.ENOTDIR));
        }

        @Test
        @DisplayName("reading a directory, a missing file or through a file is refused with the kernel's errno")
        void refusals() {
            State s = seedStep6(PinPolicy.CSS).state;
            assertThat(errno(CgroupFiles.read(s, "/H1/foo"))).isEqualTo(Errno.EISDIR);
            assertThat(errno(CgroupFiles.read(s, "/H1"))).isEqualTo(Errno.EISDIR);
            assertThat(errno(CgroupFiles.read(s, "/"))).isEqualTo(Errno.EISDIR);
            assertThat(errno(CgroupFiles.read(s, "/H1/foo/release_agent"))).isEqualTo(Errno.ENOENT);
            assertThat(errno(CgroupFiles.read(s, "/H1/foo/B.usage"))).isEqualTo(Errno.ENOENT);
            assertThat(errno(CgroupFiles.read(s, "/H1/nope/tasks"))).isEqualTo(Errno.ENOENT);
            assertThat(errno(CgroupFiles.read(s, "/H1/tasks/x"))).isEqualTo(Errno.ENOTDIR);
            assertThat(errno(CgroupFiles.read(s, "H1/tasks"))).isEqualTo(Errno.EINVAL);
        }

        @Test
        @DisplayName("ls lists children and files together, sorted; / lists the mount points")
        void ls() {
            State s = seedStep6(PinPolicy.CSS).ok(new Mkdir("/H1/foo/zed", false)).state;
            assertThat(CgroupFiles.list(s, "/")).isEqualTo(Result.ok(List.of("H1", "H2")));
            assertThat(CgroupFiles.list(s, "/H1/foo")).isEqualTo(Result.ok(List.of("A.limit",
                    "A.move_charge_at_immigrate", "A.usage", "cgroup.clone_children", "cgroup.procs",
                    "notify_on_release", "tasks", "zed")));
            assertThat(errno(CgroupFiles.list(s, "/H3"))).isEqualTo(Errno.ENOENT);
            assertThat(errno(CgroupFiles.list(s, "/H1/tasks"))).isEqualTo(Errno.ENOTDIR);
        }

        @Test
        @DisplayName("nothing mounted: / is empty")
        void emptyRoot() {
            State s = Fixture.seed(PinPolicy.CSS, RmdirPolicy.STRICT).state;
            assertThat(CgroupFiles.list(s, "/")).isEqualTo(Result.ok(List.of()));
            assertThat(s.cgroup(CgroupId.DEFAULT_ROOT)).isNotNull();
        }
    }

    static Errno errno(Result<?> r) {
        return r instanceof Result.Refused<?> ref ? ref.errno() : null;
    }
}
