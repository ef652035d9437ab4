package org.cgledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.cgledger.core.command.Rmdir;
import org.cgledger.core.command.Uncharge;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.event.CssReleased;
import org.cgledger.core.model.CssState;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.PinPolicy;
import org.cgledger.core.model.RmdirPolicy;
import org.cgledger.core.state.Refcounts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** DESIGN.md §3: the seed, step by step, every number. Task 1 is the seed's T. */
@DisplayName("The seed scenario (Menage and Vaddagiri, April 2007)")
class SeedScenarioTest {

    /** Steps 1 to 5, common to every policy. */
    static Fixture throughStep5(PinPolicy pin, RmdirPolicy rmdir) {
        Fixture f = Fixture.seed(pin, rmdir);
        // step 1
        assertThat(f.setOf(1)).isEqualTo("N0");
        assertThat(f.tuple("N0")).isEqualTo("{A0,B0}");
        assertThat(f.setRef("N0")).isEqualTo(1);
        assertThat(f.cssRef("A0")).isEqualTo(1);
        assertThat(f.cssRef("B0")).isEqualTo(1);
        // step 2
        f.mount("A", "/H1").mount("B", "/H2");
        assertThat(f.setRef("N0")).isEqualTo(3);
        // step 3
        f.mkdir("/H1/foo");
        assertThat(f.tuple("N1")).isEqualTo("{A1,B0}");
        assertThat(f.setRef("N1")).isEqualTo(1);
        assertThat(f.cssRef("A1")).isEqualTo(1);
        // step 4
        f.mkdir("/H2/bar");
        assertThat(f.tuple("N2")).isEqualTo("{A0,B1}");
        assertThat(f.setRef("N2")).isEqualTo(1);
        assertThat(f.cssRef("B1")).isEqualTo(1);
        // step 5
        f.attach(1, "/H1/foo").attach(1, "/H2/bar");
        assertThat(f.setOf(1)).isEqualTo("N3");
        assertThat(f.tuple("N3")).isEqualTo("{A1,B1}");
        assertThat(f.setRef("N3")).isEqualTo(1);
        assertThat(f.setRef("N1")).isEqualTo(1);
        assertThat(f.cssRef("A1")).isEqualTo(2);
        assertThat(f.cssRef("B1")).isEqualTo(2);
        return f;
    }

    @ParameterizedTest(name = "rmdir={0}")
    @EnumSource(RmdirPolicy.class)
    @DisplayName("pin=css: steps 1-7")
    void pinCss(RmdirPolicy rmdir) {
        Fixture f = throughStep7(PinPolicy.CSS, rmdir);
        assertThat(f.state.lastEvent()).isEqualTo(f.events.size());
    }

    static Fixture throughStep7(PinPolicy pin, RmdirPolicy rmdir) {
        Fixture f = throughStep5(pin, rmdir);
        // step 6
        f.charge(1, "A", "file:1", 1);
        if (pin == PinPolicy.CSS) {
            assertThat(f.cssRef("A1")).isEqualTo(3);
            assertThat(f.setRef("N3")).isEqualTo(1);
        } else {
            assertThat(f.setRef("N3")).isEqualTo(2);
            assertThat(f.cssRef("A1")).isEqualTo(2);
        }
        // step 7
        f.attach(1, "/H1").attach(1, "/H2");
        assertThat(f.setOf(1)).isEqualTo("N0");
        assertThat(f.setRef("N0")).isEqualTo(3);
        assertThat(f.cssRef("A1")).isEqualTo(2);
        if (pin == PinPolicy.CSS) {
            assertThat(f.setLive("N3")).as("N3 freed").isFalse();
            assertThat(f.cssRef("B1")).isEqualTo(1);
        } else {
            assertThat(f.setRef("N3")).isEqualTo(1);
            assertThat(f.cssRef("B1")).as("B1 pinned by an object charged to A").isEqualTo(2);
        }
        return f;
    }

    @Nested
    @DisplayName("pin=cssset (the variant Menage shows wrong)")
    class PinCssSet {
        @Test
        void stepsOneToSeven() {
            throughStep7(PinPolicy.CSSSET, RmdirPolicy.OFFLINE);
        }

        @Test
        @DisplayName("strict rmdir names file:1 through N3")
        void strictNamesThePin() {
            Fixture f = throughStep7(PinPolicy.CSSSET, RmdirPolicy.STRICT);
            Decision.Rejected r = f.refused(new Rmdir("/H1/foo"), Errno.EBUSY);
            assertThat(r.reason()).contains("A1").contains("N3").contains("file:1 charged by task 1 at event #");
        }

        @Test
        @DisplayName("B1 cannot be released while file:1, charged to A, pins N3")
        void otherHierarchyPinned() {
            Fixture f = throughStep7(PinPolicy.CSSSET, RmdirPolicy.OFFLINE);
            f.rmdir("/H2/bar");
            assertThat(f.cssState("B1")).isEqualTo(CssState.DYING);
            assertThat(f.cssRef("B1")).isEqualTo(1);
            f.uncharge("file:1");
            assertThat(f.setLive("N3")).isFalse();
            assertThat(f.cssState("B1")).isEqualTo(CssState.RELEASED);
        }
    }

    @Nested
    @DisplayName("step 8 under each rmdir policy (pin=css)")
    class Step8 {
        @Test
        @DisplayName("strict: EBUSY naming file:1, charged by task 1 at its event")
        void strict() {
            Fixture f = throughStep7(PinPolicy.CSS, RmdirPolicy.STRICT);
            long chargeEvent = f.state.object(org.cgledger.core.model.ObjectName.of("file:1")).chargedAt();
            Decision.Rejected r = f.refused(new Rmdir("/H1/foo"), Errno.EBUSY);
            assertThat(r.reason()).contains("A1").contains("file:1 charged by task 1 at event #" + chargeEvent);
            assertThat(f.events.get((int) chargeEvent - 1))
                    .isInstanceOf(org.cgledger.core.event.ObjectCharged.class);
            // once uncharged, strict rmdir succeeds and releases A1 at once
            f.uncharge("file:1");
            f.rmdir("/H1/foo");
            assertThat(f.cssState("A1")).isEqualTo(CssState.RELEASED);
        }

        @Test
        @DisplayName("offline: succeeds, A1 dying with refcount 1 until uncharge releases it")
        void offline() {
            Fixture f = throughStep7(PinPolicy.CSS, RmdirPolicy.OFFLINE);
            f.rmdir("/H1/foo");
            assertThat(f.cssState("A1")).isEqualTo(CssState.DYING);
            assertThat(f.cssRef("A1")).isEqualTo(1);
            assertThat(f.setLive("N1")).isFalse();
            var events = f.lastEvents(new Uncharge("file:1", null));
            assertThat(events).contains(new CssReleased(f.css("A1")));
            assertThat(f.cssState("A1")).isEqualTo(CssState.RELEASED);
        }

        @Test
        @DisplayName("unchecked: succeeds, A1 unreachable but still counted")
        void unchecked() {
            Fixture f = throughStep7(PinPolicy.CSS, RmdirPolicy.UNCHECKED);
            f.rmdir("/H1/foo");
            assertThat(f.cssState("A1")).isEqualTo(CssState.UNREACHABLE);
            assertThat(f.cssRef("A1")).isEqualTo(1);
            assertThat(Refcounts.violations(f.state)).isEmpty();
        }
    }
}
