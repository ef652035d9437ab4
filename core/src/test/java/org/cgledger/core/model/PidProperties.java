package org.cgledger.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Pid#parse}'s shortcut for plain decimals answers what its general path answers, for any text. */
class PidProperties {

    /** Texts of digits, signs, white space, hex prefixes and letters; often plain decimals, sometimes past an int. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> mixed = Arbitraries.strings().withChars("0123456789 \t\n+-xXaf").ofMaxLength(14);
        Arbitrary<String> decimals = Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(11);
        return Arbitraries.oneOf(mixed, decimals, decimals.map(d -> d + "\n"));
    }

    @Property(tries = 3000)
    void shortcutAgreesWithTheGeneralPath(@ForAll("texts") String text) {
        assertThat(Pid.parse(text)).isEqualTo(Pid.parseAny(text));
    }

    @Example
    void edgesOfTheShortcut() {
        for (String text : new String[] {"1", "9", "10", "123456789", "999999999", "1234567890", "2147483647",
                "2147483648", "0", "01", "0x1f", "1a", "1 ", " 1", "", "-1", "+1", "\u0661"}) {
            assertThat(Pid.parse(text)).as(text).isEqualTo(Pid.parseAny(text));
        }
        assertThat(Pid.parse("4194304")).isEqualTo(Result.ok(new Pid(4_194_304)));
        assertThat(Pid.parse("12\n")).isEqualTo(Result.ok(new Pid(12)));
        assertThat(Pid.parse("0")).isInstanceOf(Result.Refused.class);
    }
}
