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
    @DisplayName("milliseconds, 0 or more; unset or blank: 5 s; anything else refused in words")
    void parse() {
        assertThat(Main.lockTimeout(null)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Main.lockTimeout(" ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Main.lockTimeout("250")).isEqualTo(Duration.ofMillis(250));
        assertThat(Main.lockTimeout("0")).isEqualTo(Duration.ZERO);
        for (String bad : new String[] {"-5", "abc", "1.5", "99999999999999999999"}) {
            assertThatThrownBy(() -> Main.lockTimeout(bad)).isInstanceOf(LedgerException.class)
                    .hasMessage("CGLEDGER_LOCK_TIMEOUT must be milliseconds (0 or more), not '" + bad + "'");
        }
    }
}
