package org.cgledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cgledger.core.command.Attach;
import org.cgledger.core.command.Exit;
import org.cgledger.core.command.Mkdir;
import org.cgledger.core.command.Mount;
import org.cgledger.core.command.Rmdir;
import org.cgledger.core.command.SetFile;
import org.cgledger.core.command.Umount;
import org.cgledger.core.command.Uncharge;
import org.cgledger.core.event.CgroupCreated;
import org.cgledger.core.event.Event;
import org.cgledger.core.event.HierarchyDestroyed;
import org.cgledger.core.event.HierarchyMounted;
import org.cgledger.core.event.HoldDropped;
import org.cgledger.core.event.MountPointAdded;
import org.cgledger.core.event.MountPointRemoved;
import org.cgledger.core.event.ObjectReleased;
import org.cgledger.core.event.ReleaseNotified;
import org.cgledger.core.event.TaskAttached;
import org.cgledger.core.event.TaskForked;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssState;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.ChargedObject;
import org.cgledger.core.state.Hierarchy;
import org.cgledger.core.state.Task;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** DESIGN.md §1-2 and the kernel facts: what an accepted command does. */
@DisplayName("Lifecycle: what accepted commands do")
class LifecycleTest {

    /** Catalog A, B; A at /H1, B at /H2. */
    static Fixture mounted(PinPolicy pin, RmdirPolicy rmdir) {
        return Fixture.seed(pin, rmdir).mount("A", "/H1").mount("B", "/H2");
    }

    static Fixture mounted() {
        return mounted(PinPolicy.CSS, RmdirPolicy.STRICT);
    }

    static Cgroup at(Fixture f, String path) {
        for (Cgroup c : f.state.cgroups().values()) {
            if (!c.removed() && f.state.path(c.id()).equals(path)) {
                return c;
            }
        }
        return null;
    }

    static Hierarchy hierarchyAt(Fixture f, String mountPoint) {
        HierarchyId id = f.state.mountPoints().get(mountPoint);
        return id == null ? null : f.state.hierarchy(id);
    }

    static ChargedObject object(Fixture f, String name) {
        return f.state.object(ObjectName.of(name));
    }

    static Task task(Fixture f, int pid) {
        return f.state.task(Pid.of(pid));
    }

    static List<Pid> pids(int... values) {
        return java.util.Arrays.stream(values).mapToObj(Pid::of).toList();
    }

    static List<Event> released(List<Event> events) {
        return events.stream().filter(e -> e instanceof ReleaseNotified).toList();
    }

    @Nested
    @DisplayName("mkdir")
    class MkdirBehaviour {
        @Test
        @DisplayName("-p creates every missing level, and again is a no-op")
        void parents() {
            Fixture f = mounted();
            var events = f.lastEvents(new Mkdir("/H1/a/b/c", true));
            assertThat(events).hasSize(3).allMatch(e -> e instanceof CgroupCreated);
            assertThat(at(f, "/H1/a/b/c")).isNotNull();
            assertThat(f.state.css(at(f, "/H1/a/b/c").css().get(0)).parent()).isEqualTo(at(f, "/H1/a/b").css().get(0));
            assertThat(f.lastEvents(new Mkdir("/H1/a/b/c", true))).isEmpty();
            assertThat(f.lastEvents(new Mkdir("/H1/a/b/c/d", true))).hasSize(1);
            assertThat(f.lastEvents(new Mkdir("/H1", true))).isEmpty();
        }

        @Test
        @DisplayName("a/../z makes z")
        void dotDot() {
            Fixture f = mounted();
            f.ok(new Mkdir("/H1/a", false)).ok(new Mkdir("/H1/a/../z", false));
            assertThat(at(f, "/H1/z")).isNotNull();
            assertThat(at(f, "/H1/a").children().isEmpty()).isTrue();
        }

        @Test
        @DisplayName("-p with . and ..: each prefix made in turn, as coreutils does (a/./b/../c makes a, a/b and a/c)")
        void parentsWithDots() {
            Fixture f = mounted();
            var events = f.lastEvents(new Mkdir("/H1/a/./b/../c", true));
            assertThat(events).hasSize(3).allMatch(e -> e instanceof CgroupCreated);
            assertThat(at(f, "/H1/a/b")).isNotNull();
            assertThat(at(f, "/H1/a/c")).isNotNull();
            assertThat(f.lastEvents(new Mkdir("/H1/a/./b/../c", true))).isEmpty();
            assertThat(f.lastEvents(new Mkdir("/H1/x/y/..", true))).hasSize(2);
            assertThat(at(f, "/H1/x/y")).isNotNull();
            assertThat(f.lastEvents(new Mkdir("/H1/../H1/w", true))).hasSize(1);
            assertThat(f.lastEvents(new Mkdir("/H1/nope/.", true))).hasSize(1);
            assertThat(f.lastEvents(new Mkdir("/H1/gone/../d", true))).hasSize(2);
            assertThat(at(f, "/H1/w")).isNotNull();
            // refusals as the walk meets them, the prefixes made before kept (as coreutils' mkdir -p)
            f.refused(new Mkdir("/H1/q/tasks/../r", true), Errno.ENOTDIR);
            assertThat(at(f, "/H1/q")).as("made before the refusal").isNotNull();
            assertThat(at(f, "/H1/q/r")).isNull();
            f.refused(new Mkdir("/nowhere/./a", true), Errno.ENOENT);
            f.refused(new Mkdir("/H1/./n\nl", true), Errno.EINVAL);
        }

        @Test
        @DisplayName("-p refused at a later component keeps the levels made before it, live groups with their css, "
                + "and a later -p past the refusal makes only what is missing")
        void parentsRefusedLater() {
            Fixture f = mounted();
            var r = f.refused(new Mkdir("/H1/a/b/tasks/c", true), Errno.ENOTDIR);
            assertThat(r.recorded()).hasSize(2).allMatch(e -> e instanceof CgroupCreated);
            assertThat(f.events.subList(f.events.size() - 2, f.events.size())).isEqualTo(r.recorded());
            assertThat(f.state.css(at(f, "/H1/a/b").css().get(0)).parent()).isEqualTo(at(f, "/H1/a").css().get(0));
            assertThat(f.lastEvents(new Mkdir("/H1/a/b/c", true))).hasSize(1);
            f.rmdir("/H1/a/b/c").rmdir("/H1/a/b").rmdir("/H1/a");
        }

        @Test
        @DisplayName("no depth limit: 300 levels")
        void deep() {
            Fixture f = mounted();
            StringBuilder p = new StringBuilder("/H1");
            for (int i = 0; i < 300; i++) {
                p.append("/d");
            }
            f.ok(new Mkdir(p.toString(), true));
            assertThat(at(f, p.toString())).isNotNull();
        }
    }

    @Nested
    @DisplayName("fork")
    class ForkBehaviour {
        @Test
        @DisplayName("the child joins the parent's css_set and cgroups; without --pid it takes the highest pid + 1")
        void inheritsCssSet() {
            Fixture f = mounted();
            f.mkdir("/H1/foo").attach(1, "/H1/foo");
            f.fork(1, 7);
            assertThat(f.setOf(7)).isEqualTo(f.setOf(1));
            assertThat(at(f, "/H1/foo").tasks().contains(Pid.of(7))).isTrue();
            f.ok(new org.cgledger.core.command.Fork(Pid.of(7), null));
            assertThat(task(f, 8)).isNotNull();
            assertThat(f.setOf(8)).isEqualTo(f.setOf(1));
            assertThat(f.setRef(f.setOf(1))).as("three tasks and the directory /H1/foo").isEqualTo(4);
        }

        @Test
        @DisplayName("the child holds the parent's objects; an object is released only when both have exited")
        void inheritsHolds() {
            Fixture f = mounted();
            f.mkdir("/H1/foo").fork(1, 2).attach(2, "/H1/foo").charge(2, "A", "file:1", 5);
            f.fork(2, 3);
            assertThat(object(f, "file:1").holders().sorted(null)).isEqualTo(pids(2, 3));
            assertThat(task(f, 3).holds().contains(ObjectName.of("file:1"))).isTrue();
            assertThat(f.lastEvents(new Exit(Pid.of(2)))).noneMatch(e -> e instanceof ObjectReleased);
            assertThat(object(f, "file:1").holders().sorted(null)).isEqualTo(pids(3));
            assertThat(f.usage("A1")).isEqualTo(5);
            assertThat(f.lastEvents(new Exit(Pid.of(3)))).contains(new ObjectReleased(ObjectName.of("file:1")));
            assertThat(object(f, "file:1")).isNull();
            assertThat(f.usage("A1")).isZero();
            assertThat(f.cssRef("A1")).as("only its directory's css_set").isEqualTo(1);
        }

        @Test
        @DisplayName("a task keeps the number of the event that forked it (pid 1: the init's); a pid forked again "
                + "after an exit is another task")
        void forkedAt() {
            Fixture f = mounted();
            assertThat(task(f, 1).forkedAt()).as("the init is event #1").isEqualTo(1);
            f.fork(1, 2);
            long first = f.state.lastEvent();
            assertThat(task(f, 2).forkedAt()).isEqualTo(first);
            assertThat(f.events.get((int) first - 1)).isInstanceOf(TaskForked.class);
            Task was = task(f, 2);
            f.mkdir("/H1/foo").attach(2, "/H1/foo");
            assertThat(task(f, 2).forkedAt()).as("kept as it moves").isEqualTo(first);
            assertThat(task(f, 2).otherThan(was)).isFalse();
            f.exit(2).fork(1, 2);
            assertThat(task(f, 2).forkedAt()).isEqualTo(f.state.lastEvent()).isGreaterThan(first);
            assertThat(task(f, 2).otherThan(was)).isTrue();
            assertThat(task(f, 2).cssSet()).as("otherwise the same as before").isEqualTo(was.cssSet());
            // one whose fork is not known (restored from an earlier build's snapshot) is taken for the same
            Task unknown = new Task(was.pid(), was.cssSet(), was.holds(), Task.UNKNOWN);
            assertThat(unknown.otherThan(task(f, 2))).isFalse();
            assertThat(task(f, 2).otherThan(unknown)).isFalse();
        }
    }

    @Nested
    @DisplayName("exit, charge and uncharge")
    class ObjectBehaviour {
        @Test
        @DisplayName("exit releases a non-cache object: usage falls on the css and its ancestors")
        void exitReleases() {
            Fixture f = mounted();
            f.ok(new Mkdir("/H1/p/c", true)).fork(1, 2).attach(2, "/H1/p/c").charge(2, "A", "file:1", 4);
            assertThat(f.usage("A0")).isEqualTo(4);
            assertThat(f.usage("A1")).isEqualTo(4);
            assertThat(f.usage("A2")).isEqualTo(4);
            f.exit(2);
            assertThat(object(f, "file:1")).isNull();
            assertThat(f.usage("A0")).isZero();
            assertThat(f.usage("A1")).isZero();
            assertThat(f.usage("A2")).isZero();
        }

        @Test
        @DisplayName("a --cache object stays charged after its last holder exits, until uncharged")
        void cacheStays() {
            Fixture f = mounted(PinPolicy.CSS, RmdirPolicy.OFFLINE);
            f.mkdir("/H1/foo").fork(1, 2).attach(2, "/H1/foo");
            f.cache(2, "A", "page:1", 3).charge(2, "A", "file:1", 2);
            var exit = f.lastEvents(new Exit(Pid.of(2)));
            assertThat(exit).contains(new ObjectReleased(ObjectName.of("file:1")))
                    .doesNotContain(new ObjectReleased(ObjectName.of("page:1")));
            assertThat(object(f, "page:1").holders().isEmpty()).isTrue();
            assertThat(f.usage("A1")).isEqualTo(3);
            assertThat(f.cssRef("A1")).as("N1 and page:1").isEqualTo(2);
            // the group can go, but its css lingers, dying, pinned by the page
            f.rmdir("/H1/foo");
            assertThat(f.cssState("A1")).isEqualTo(CssState.DYING);
            assertThat(f.usage("A0")).isEqualTo(3);
            f.uncharge("page:1");
            assertThat(f.cssState("A1")).isEqualTo(CssState.RELEASED);
            assertThat(f.usage("A0")).isZero();
        }

        @Test
        @DisplayName("uncharge --task with two holders keeps the object; the last hold releases it")
        void unchargeOneHolder() {
            Fixture f = mounted();
            f.fork(1, 2).charge(2, "A", "file:1", 3).fork(2, 3);
            var first = f.lastEvents(new Uncharge("file:1", Pid.of(2)));
            assertThat(first).containsExactly(new HoldDropped(ObjectName.of("file:1"), Pid.of(2)));
            assertThat(object(f, "file:1").holders().sorted(null)).isEqualTo(pids(3));
            assertThat(task(f, 2).holds().isEmpty()).isTrue();
            assertThat(f.usage("A0")).isEqualTo(3);
            var last = f.lastEvents(new Uncharge("file:1", Pid.of(3)));
            assertThat(last).contains(new ObjectReleased(ObjectName.of("file:1")));
            assertThat(f.usage("A0")).isZero();
        }

        @Test
        @DisplayName("uncharge without --task drops every hold at once")
        void unchargeAll() {
            Fixture f = mounted();
            f.fork(1, 2).charge(2, "A", "file:1", 3).fork(2, 3);
            f.uncharge("file:1");
            assertThat(object(f, "file:1")).isNull();
            assertThat(task(f, 2).holds().isEmpty()).isTrue();
            assertThat(task(f, 3).holds().isEmpty()).isTrue();
        }

        @Test
        @DisplayName("objects do not move when their task moves (move_charge_at_immigrate = 0)")
        void noMove() {
            Fixture f = mounted();
            f.mkdir("/H1/a").mkdir("/H1/b").fork(1, 2).attach(2, "/H1/a").charge(2, "A", "file:1", 3);
            f.attach(2, "/H1/b");
            assertThat(object(f, "file:1").css()).isEqualTo(f.css("A1"));
            assertThat(f.usage("A1")).isEqualTo(3);
            assertThat(f.usage("A2")).isZero();
        }
    }

    @Nested
    @DisplayName("move_charge_at_immigrate = 1")
    class MoveCharge {
        /** /H1/src/s and /H1/dst/d; task 2 in /H1/src/s holds file:own alone and file:shared with task 3. */
        Fixture given() {
            Fixture f = mounted();
            f.ok(new Mkdir("/H1/src/s", true)).ok(new Mkdir("/H1/dst/d", true));
            f.fork(1, 2).attach(2, "/H1/src/s").charge(2, "A", "file:own", 4).charge(2, "A", "file:shared", 1);
            f.fork(2, 3);
            f.ok(new Uncharge("file:own", Pid.of(3)));
            f.set("/H1/dst/d", "A.move_charge_at_immigrate", "1");
            return f;
        }

        @Test
        @DisplayName("objects held only by the mover move: usage leaves the source css and its ancestors "
                + "for the destination's; shared ones stay")
        void moves() {
            Fixture f = given();
            // A1 = src, A2 = src/s, A3 = dst, A4 = dst/d
            assertThat(f.usage("A1")).isEqualTo(5);
            int pinS = f.cssRef("A2");
            var events = f.lastEvents(new Attach("2", "/H1/dst/d"));
            assertThat(events).filteredOn(e -> e instanceof TaskAttached).singleElement()
                    .satisfies(e -> assertThat(((TaskAttached) e).moved()).containsExactly(ObjectName.of("file:own")));
            assertThat(object(f, "file:own").css()).isEqualTo(f.css("A4"));
            assertThat(object(f, "file:shared").css()).isEqualTo(f.css("A2"));
            assertThat(f.usage("A2")).isEqualTo(1);
            assertThat(f.usage("A1")).isEqualTo(1);
            assertThat(f.usage("A4")).isEqualTo(4);
            assertThat(f.usage("A3")).isEqualTo(4);
            assertThat(f.usage("A0")).as("the common ancestor keeps it all").isEqualTo(5);
            assertThat(f.state.css(f.css("A4")).charged().contains(ObjectName.of("file:own"))).isTrue();
            assertThat(f.state.css(f.css("A2")).charged().contains(ObjectName.of("file:own"))).isFalse();
            // the pin moved too: A2 lost the pin of file:own (and task 2's css_set reference)
            assertThat(f.cssRef("A2")).isLessThan(pinS);
        }

        @Test
        @DisplayName("only the subsystem whose flag is set moves; B's objects stay")
        void perSubsystem() {
            Fixture f = given();
            f.mkdir("/H2/b").attach(2, "/H2/b").charge(2, "B", "page:b", 2);
            f.attach(2, "/H1/dst/d");
            assertThat(object(f, "page:b").css()).isEqualTo(f.css("B1"));
        }

        @Test
        @DisplayName("ENOSPC if the destination (or an ancestor up to the common one) would exceed its limit; "
                + "nothing changes")
        void overLimit() {
            Fixture f = given();
            f.set("/H1/dst", "A.limit", "3");
            RefusalRulesTest.refused(f, new Attach("2", "/H1/dst/d"), Errno.ENOSPC);
            assertThat(at(f, "/H1/src/s").tasks().contains(Pid.of(2))).isTrue();
            assertThat(object(f, "file:own").css()).isEqualTo(f.css("A2"));
            f.set("/H1/dst", "A.limit", "4");
            f.attach(2, "/H1/dst/d");
            assertThat(f.usage("A3")).isEqualTo(4);
        }

        @Test
        @DisplayName("a root's flag comes back with its subsystem when the hierarchy is mounted again, as its limit "
                + "does (the kernel keeps both in the root css; the flag had been lost with the root cgroup)")
        void rootFlagSurvivesRemount() {
            Fixture f = mounted();
            f.set("/H1", "A.move_charge_at_immigrate", "1").set("/H1", "A.limit", "7");
            f.umount("/H1");
            assertThat(f.state.hierarchyOf(new org.cgledger.core.model.Subsystem("A")).isDefault()).isTrue();
            f.mount("A", "/H1");
            assertThat(org.cgledger.core.query.CgroupFiles.read(f.state, "/H1/A.move_charge_at_immigrate"))
                    .isEqualTo(org.cgledger.core.model.Result.ok(List.of("1")));
            assertThat(f.state.css(f.css("A0")).limit().toString()).isEqualTo("7");
            // and it moves charges as it did: a task holding an object comes back to the root with it
            f.mkdir("/H1/a").fork(1, 2).attach(2, "/H1/a").charge(2, "A", "file:1", 3);
            f.attach(2, "/H1");
            assertThat(object(f, "file:1").css()).isEqualTo(f.css("A0"));
            assertThat(f.usage("A1")).isZero();
            // another subsystem mounted meanwhile does not take it
            f.rmdir("/H1/a");
            f.exit(2);
            f.umount("/H1").umount("/H2");
            f.mount("B", "/H3");
            assertThat(org.cgledger.core.query.CgroupFiles.read(f.state, "/H3/B.move_charge_at_immigrate"))
                    .isEqualTo(org.cgledger.core.model.Result.ok(List.of("0")));
            f.mount("A", "/H1");
            assertThat(org.cgledger.core.query.CgroupFiles.read(f.state, "/H1/A.move_charge_at_immigrate"))
                    .isEqualTo(org.cgledger.core.model.Result.ok(List.of("1")));
        }

        @Test
        @DisplayName("a limit on the common ancestor is not in the way (the usage does not change there)")
        void commonAncestorLimit() {
            Fixture f = given();
            f.set("/H1", "A.limit", "5");
            f.attach(2, "/H1/dst/d");
            assertThat(f.usage("A0")).isEqualTo(5);
        }
    }

    @Nested
    @DisplayName("attach")
    class AttachBehaviour {
        @Test
        @DisplayName("to the cgroup the task is already in: accepted, records nothing")
        void sameCgroup() {
            Fixture f = mounted();
            f.mkdir("/H1/foo").attach(1, "/H1/foo");
            assertThat(f.lastEvents(new Attach("1", "/H1/foo"))).isEmpty();
            assertThat(f.lastEvents(new SetFile("/H1/foo", "tasks", "1\n"))).isEmpty();
            assertThat(f.lastEvents(new Attach("1", "/H2"))).isEmpty();
        }

        @Test
        @DisplayName("moves the task in that hierarchy only, and re-interns its css_set")
        void oneHierarchy() {
            Fixture f = mounted();
            f.mkdir("/H1/foo").mkdir("/H2/bar").fork(1, 2);
            f.attach(2, "/H1/foo");
            assertThat(f.tuple(f.setOf(2))).isEqualTo("{A1,B0}");
            assertThat(f.setOf(2)).as("reuses the directory's css_set N1").isEqualTo("N1");
            f.attach(1, "/H1/foo");
            assertThat(f.setOf(1)).isEqualTo("N1");
            assertThat(f.setRef("N1")).isEqualTo(3);
        }
    }

    @Nested
    @DisplayName("umount and mount again")
    class UmountBehaviour {
        @Test
        @DisplayName("with child cgroups: the hierarchy survives detached, tasks keep their cgroups; "
                + "mounting the name again brings it back intact")
        void detached() {
            Fixture f = Fixture.seed(PinPolicy.CSS, RmdirPolicy.STRICT).mount("A,name=h", "/H1");
            f.ok(new Mkdir("/H1/k/k2", true)).fork(1, 2).attach(2, "/H1/k/k2");
            Cgroup k2 = at(f, "/H1/k/k2");
            HierarchyId h = f.state.mountPoints().get("/H1");
            var events = f.lastEvents(new Umount("/H1"));
            assertThat(events).containsExactly(new MountPointRemoved(h, "/H1"));
            assertThat(f.state.hierarchy(h).isDetached()).isTrue();
            assertThat(f.state.hierarchyOf(Subsystem.of("A")).id()).isEqualTo(h);
            assertThat(f.state.cgroupOf(task(f, 2), f.state.hierarchy(h))).isEqualTo(k2.id());
            assertThat(f.state.cgroup(k2.id()).tasks().contains(Pid.of(2))).isTrue();
            // a task dying while unmounted leaves the directories
            f.fork(2, 3).exit(2);
            var again = f.lastEvents(new Mount("name=h", "/H9"));
            assertThat(again).containsExactly(new MountPointAdded(h, "/H9"));
            assertThat(at(f, "/H9/k/k2").id()).isEqualTo(k2.id());
            assertThat(at(f, "/H9/k/k2").tasks().sorted(null)).isEqualTo(pids(3));
            assertThat(at(f, "/H9/k/k2").css()).isEqualTo(k2.css());
        }

        @Test
        @DisplayName("one of two mount points: the hierarchy stays mounted at the other")
        void oneOfTwo() {
            Fixture f = mounted();
            f.mount("A", "/H1b");
            assertThat(hierarchyAt(f, "/H1b")).isEqualTo(hierarchyAt(f, "/H1"));
            assertThat(f.lastEvents(new Umount("/H1"))).noneMatch(e -> e instanceof HierarchyDestroyed);
            f.mkdir("/H1b/x");
            assertThat(at(f, "/H1b/x")).isNotNull();
        }

        @Test
        @DisplayName("without children: destroyed; its subsystems return to the default hierarchy and can be "
                + "mounted again elsewhere")
        void destroyed() {
            Fixture f = mounted();
            f.mkdir("/H1/gone").rmdir("/H1/gone");
            HierarchyId h = f.state.mountPoints().get("/H1");
            int n0 = f.setRef("N0");
            var events = f.lastEvents(new Umount("/H1"));
            assertThat(events).contains(new HierarchyDestroyed(h));
            assertThat(f.state.hierarchy(h)).isNull();
            assertThat(f.state.hierarchyOf(Subsystem.of("A")).isDefault()).isTrue();
            assertThat(f.state.hierarchy(HierarchyId.DEFAULT).subsystems()).contains(Subsystem.of("A"));
            assertThat(f.setRef("N0")).as("the root directory's reference is gone").isEqualTo(n0 - 1);
            var remount = f.lastEvents(new Mount("A", "/elsewhere"));
            assertThat(remount).singleElement().isInstanceOf(HierarchyMounted.class);
            assertThat(((HierarchyMounted) remount.get(0)).hierarchy()).as("a new hierarchy id").isNotEqualTo(h);
            f.mkdir("/elsewhere/x");
            assertThat(f.cssState("A2")).as("css serials go on").isEqualTo(CssState.ONLINE);
        }

        @Test
        @DisplayName("a destroyed name cannot be mounted by name alone (EINVAL), with none it is created anew")
        void nameAfterDestroy() {
            Fixture f = mounted();
            f.mount("none,name=c", "/C").umount("/C");
            RefusalRulesTest.refused(f, new Mount("name=c", "/C"), Errno.EINVAL);
            f.mount("none,name=c", "/C");
        }
    }

    @Nested
    @DisplayName("notify_on_release")
    class NotifyOnRelease {
        Fixture given() {
            Fixture f = mounted();
            f.mkdir("/H1/g").set("/H1/g", "notify_on_release", "1").fork(1, 2).fork(1, 3);
            f.attach(2, "/H1/g").attach(3, "/H1/g");
            return f;
        }

        CgroupId g(Fixture f) {
            return at(f, "/H1/g").id();
        }

        @Test
        @DisplayName("losing its last task by attach away notifies; losing one of two does not")
        void attachAway() {
            Fixture f = given();
            assertThat(released(f.lastEvents(new Attach("2", "/H1")))).isEmpty();
            assertThat(released(f.lastEvents(new Attach("3", "/H1")))).containsExactly(new ReleaseNotified(g(f)));
        }

        @Test
        @DisplayName("losing its last task by exit notifies")
        void exit() {
            Fixture f = given();
            assertThat(released(f.lastEvents(new Exit(Pid.of(2))))).isEmpty();
            assertThat(released(f.lastEvents(new Exit(Pid.of(3))))).containsExactly(new ReleaseNotified(g(f)));
        }

        @Test
        @DisplayName("losing its last child notifies; while a child or a task is left, nothing")
        void lastChild() {
            Fixture f = mounted();
            f.mkdir("/H1/p").set("/H1/p", "notify_on_release", "1");
            f.mkdir("/H1/p/c1").mkdir("/H1/p/c2");
            CgroupId p = at(f, "/H1/p").id();
            // c1, c2 inherited notify_on_release: their removal notifies p only
            assertThat(released(f.lastEvents(new Rmdir("/H1/p/c1")))).isEmpty();
            assertThat(released(f.lastEvents(new Rmdir("/H1/p/c2")))).containsExactly(new ReleaseNotified(p));
            f.mkdir("/H1/p/c3").fork(1, 2).attach(2, "/H1/p");
            assertThat(released(f.lastEvents(new Rmdir("/H1/p/c3")))).as("p still has a task").isEmpty();
        }

        @Test
        @DisplayName("losing its last task while it has a child does not notify")
        void taskWithChild() {
            Fixture f = given();
            f.mkdir("/H1/g/c");
            f.attach(2, "/H1").attach(3, "/H1");
            assertThat(f.events).noneMatch(e -> e instanceof ReleaseNotified);
        }

        @Test
        @DisplayName("with notify_on_release = 0, nothing")
        void off() {
            Fixture f = given();
            f.set("/H1/g", "notify_on_release", "0");
            f.attach(2, "/H1").exit(3);
            assertThat(f.events).noneMatch(e -> e instanceof ReleaseNotified);
        }

        @Test
        @DisplayName("a child created under a parent with notify_on_release = 1 inherits it (at mkdir time only)")
        void inherited() {
            Fixture f = mounted();
            f.mkdir("/H1/before");
            f.set("/H1", "notify_on_release", "1");
            f.ok(new Mkdir("/H1/p/c", true));
            assertThat(at(f, "/H1/p").notifyOnRelease()).isTrue();
            assertThat(at(f, "/H1/p/c").notifyOnRelease()).isTrue();
            assertThat(at(f, "/H1/before").notifyOnRelease()).as("created before").isFalse();
            f.set("/H1", "notify_on_release", "0");
            f.mkdir("/H1/after");
            assertThat(at(f, "/H1/after").notifyOnRelease()).isFalse();
            f.fork(1, 2).attach(2, "/H1/p/c");
            assertThat(released(f.lastEvents(new Attach("2", "/H1")))).containsExactly(
                    new ReleaseNotified(at(f, "/H1/p/c").id()));
        }

        @Test
        @DisplayName("the root never notifies")
        void root() {
            Fixture f = mounted();
            f.set("/H1", "notify_on_release", "1").fork(1, 2).mkdir("/H1/x").rmdir("/H1/x").exit(2);
            assertThat(f.events).noneMatch(e -> e instanceof ReleaseNotified);
        }
    }

    @Nested
    @DisplayName("ids are never reused")
    class Ids {
        @ParameterizedTest(name = "rmdir={0}")
        @EnumSource(RmdirPolicy.class)
        @DisplayName("rmdir then mkdir of the same name: new cgroup id, new css serial, new css_set serial")
        void rmdirMkdir(RmdirPolicy rmdir) {
            Fixture f = mounted(PinPolicy.CSS, rmdir);
            f.mkdir("/H1/foo");
            Cgroup first = at(f, "/H1/foo");
            CssSetId firstSet = first.ownSet();
            assertThat(first.css()).containsExactly(f.css("A1"));
            f.rmdir("/H1/foo").mkdir("/H1/foo");
            Cgroup second = at(f, "/H1/foo");
            assertThat(second.id()).isNotEqualTo(first.id());
            assertThat(second.id().value()).isGreaterThan(first.id().value());
            assertThat(second.css()).containsExactly(f.css("A2"));
            assertThat(second.ownSet()).isNotEqualTo(firstSet);
            assertThat(f.tuple(second.ownSet().toString())).isEqualTo("{A2,B0}");
        }

        @Test
        @DisplayName("a freed css_set's serial is not reused for the same tuple")
        void cssSetSerial() {
            Fixture f = mounted();
            f.mkdir("/H1/foo").mkdir("/H2/bar").fork(1, 2);
            f.attach(2, "/H1/foo").attach(2, "/H2/bar");
            String n3 = f.setOf(2);
            assertThat(n3).isEqualTo("N3");
            f.attach(2, "/H1").attach(2, "/H2");
            assertThat(f.setLive("N3")).isFalse();
            f.attach(2, "/H1/foo").attach(2, "/H2/bar");
            assertThat(f.setOf(2)).isNotEqualTo("N3");
            assertThat(f.tuple(f.setOf(2))).isEqualTo("{A1,B1}");
        }

        @Test
        @DisplayName("pids given by fork without --pid go on above exited ones")
        void pids() {
            Fixture f = mounted();
            f.fork(1, 5).exit(5);
            f.ok(new org.cgledger.core.command.Fork(Pid.of(1), null));
            assertThat(task(f, 6)).isNotNull();
        }
    }

    @Nested
    @DisplayName("a hierarchy without subsystems (none,name=x)")
    class NoSubsystems {
        @Test
        @DisplayName("mounting it extends every tuple with its root: no css_set changes id, N0 gains its root's reference")
        void mount() {
            Fixture f = mounted();
            int n0 = f.setRef("N0");
            f.mount("none,name=x", "/X");
            assertThat(f.setOf(1)).isEqualTo("N0");
            assertThat(f.setRef("N0")).isEqualTo(n0 + 1);
            assertThat(at(f, "/X").tasks().sorted(null)).isEqualTo(pids(1));
        }

        @Test
        @DisplayName("tasks move in it, and css_sets get distinct tuples with the same css")
        void moves() {
            Fixture f = mounted();
            f.mount("none,name=x", "/X").mkdir("/X/a").mkdir("/X/b").fork(1, 2).fork(1, 3);
            f.attach(2, "/X/a").attach(3, "/X/b");
            assertThat(at(f, "/X/a").tasks().sorted(null)).isEqualTo(pids(2));
            assertThat(at(f, "/X/b").tasks().sorted(null)).isEqualTo(pids(3));
            assertThat(java.util.Set.of(f.setOf(1), f.setOf(2), f.setOf(3))).hasSize(3);
            assertThat(f.tuple(f.setOf(2))).isEqualTo("{A0,B0}").isEqualTo(f.tuple(f.setOf(3)));
            assertThat(f.state.cssSet(task(f, 2).cssSet()).key()).isNotEqualTo(f.state.cssSet(task(f, 3).cssSet()).key());
            // the directory /X/a holds the same css_set a task in /X/a has
            assertThat(f.setOf(2)).isEqualTo(at(f, "/X/a").ownSet().toString());
            f.attach(2, "/X");
            assertThat(f.setOf(2)).isEqualTo("N0");
            f.attach(3, "/X/a");
            assertThat(f.setOf(3)).isEqualTo(at(f, "/X/a").ownSet().toString());
        }

        @Test
        @DisplayName("rmdir of an empty group removes it; a task moved elsewhere first")
        void rmdir() {
            Fixture f = mounted();
            f.mount("none,name=x", "/X").mkdir("/X/a").fork(1, 2).attach(2, "/X/a");
            RefusalRulesTest.refused(f, new Rmdir("/X/a"), Errno.EBUSY);
            f.attach(2, "/X").rmdir("/X/a");
            assertThat(at(f, "/X/a")).isNull();
        }
    }

    @Test
    @DisplayName("css of a removed group under offline: dying until its last pin goes, then released")
    void offlineDying() {
        Fixture f = mounted(PinPolicy.CSS, RmdirPolicy.OFFLINE);
        f.mkdir("/H1/foo").fork(1, 2).attach(2, "/H1/foo").charge(2, "A", "file:1", 1).attach(2, "/H1");
        f.rmdir("/H1/foo");
        CssId a1 = f.css("A1");
        assertThat(f.cssState("A1")).isEqualTo(CssState.DYING);
        assertThat(f.state.css(a1).charged().contains(ObjectName.of("file:1"))).isTrue();
        f.exit(2);
        assertThat(f.cssState("A1")).isEqualTo(CssState.RELEASED);
    }
}
