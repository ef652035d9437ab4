package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.cgledger.persistence.LedgerException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** CGLEDGER_LOCK_TIMEOUT: milliseconds, 0 or more; 5 s when unset. */
@DisplayName("CGLEDGER_LOCK_TIMEOUT")
class LockTimeoutTest {

    @Test
    @DisplayName("milliseconds, 0 to 2^63-1 ns; unset or blank: 5 s; anything else refused in words")
    void parse() {
        assertThat(Main.lockTimeout(null)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Main.lockTimeout(" ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Main.lockTimeout("250")).isEqualTo(Duration.ofMillis(250));
        assertThat(Main.lockTimeout("0")).isEqualTo(Duration.ZERO);
        assertThat(Main.lockTimeout("9223372036854")).isEqualTo(Duration.ofMillis(9_223_372_036_854L));
        // one more does not fit a wait counted in nanoseconds (it was an ArithmeticException, exit 70)
        for (String bad : new String[] {"-5", "abc", "1.5", "9223372036855", "99999999999999999999"}) {
            assertThatThrownBy(() -> Main.lockTimeout(bad)).isInstanceOf(LedgerException.class)
                    .hasMessage("CGLEDGER_LOCK_TIMEOUT must be milliseconds (0 to 9223372036854), not '" + bad + "'");
        }
    }
}
