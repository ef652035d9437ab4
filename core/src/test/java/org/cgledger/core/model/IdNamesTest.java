package org.cgledger.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("css and css_set names read strictly: ASCII digits, no leading zero")
class IdNamesTest {

    @Test
    @DisplayName("N6, N0 and A1 are names; N06, N00, A03 and other scripts' digits are not (who-holds had answered N06 as N6)")
    void strict() {
        assertThat(CssSetId.parse("N6")).contains(new CssSetId(6));
        assertThat(CssSetId.parse("N0")).contains(new CssSetId(0));
        assertThat(CssSetId.parse("N10")).contains(new CssSetId(10));
        for (String bad : List.of("N06", "N00", "N\u0666", "N", "n6", "N6a", "N-6", "N+6")) {
            assertThat(CssSetId.parse(bad)).as(bad).isEmpty();
        }
        List<Subsystem> catalog = List.of(Subsystem.of("A"), Subsystem.of("memory"));
        assertThat(CssId.parse("A1", catalog)).contains(new CssId(Subsystem.of("A"), 1));
        assertThat(CssId.parse("memory0", catalog)).contains(CssId.root(Subsystem.of("memory")));
        for (String bad : List.of("A03", "A\u0661", "memory\u0661", "A", "B1")) {
            assertThat(CssId.parse(bad, catalog)).as(bad).isEmpty();
        }
    }
}
