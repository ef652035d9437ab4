package org.cgledger.persistence;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import org.cgledger.core.event.Event;

/**
 * The payload of one journal row: a core event with what the journal adds to it.
 *
 * @param v the envelope's schema version ({@link #VERSION} when written); older versions are
 *          read by the code that knows them (none yet: this is the first), and any other is
 *          refused as the payload is read ({@link #read})
 * @param seq the ledger-wide sequence number
 * @param time epoch milliseconds, taken by the shell
 * @param event the core event; its JSON names its type ({@code "type": "TaskAttached"}), never a class
 * @param refcounts the counters the event changed, as the writer computed them after applying it,
 *                  as one string ({@code "A1=3 N3=1"}): a JSON object keyed by counter names would make
 *                  the JSON parser intern millions of distinct field names, which slowed replay to a crawl
 */
public record JournalEntry(int v, long seq, long time, Event event, String refcounts)
        implements CgledgerSerializable {

    /** The version this build writes. */
    public static final int VERSION = 1;

    public JournalEntry {
        Objects.requireNonNull(event, "event");
        refcounts = refcounts == null ? "" : refcounts;
    }

    /**
     * How the journal's mapping reads a stored entry, in recovery, on the read side and in
     * {@code import} alike: {@code v} must be a JSON integer this build reads (only {@link #VERSION}).
     *
     * @throws IllegalArgumentException saying so, for a missing, non-number or unknown version
     */
    @JsonCreator
    static JournalEntry read(@JsonProperty("v") JsonNode v, @JsonProperty("seq") long seq,
            @JsonProperty("time") long time, @JsonProperty("event") Event event,
            @JsonProperty("refcounts") String refcounts) {
        return new JournalEntry(readableVersion(v), seq, time, event, refcounts);
    }

    /** {@code v} as a version this build reads; see {@link #read}. */
    static int readableVersion(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            throw new IllegalArgumentException("no event schema version (\"v\"; this build reads " + VERSION + ")");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() != VERSION) {
            throw new IllegalArgumentException("event schema version " + v + " is not one this build reads ("
                    + VERSION + ")");
        }
        return VERSION;
    }

    static JournalEntry of(Recorded r) {
        return new JournalEntry(VERSION, r.seq(), r.time(), r.event(), format(r.refcounts()));
    }

    /** The counters as a map, in the order recorded. */
    public Map<String, Integer> counters() {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (refcounts.isEmpty()) {
            return out;
        }
        // as format writes them: NAME=COUNT, one space apart, each name once, the count in plain digits
        for (String pair : refcounts.split(" ", -1)) {
            int eq = pair.indexOf('=');
            String count = eq <= 0 ? "" : pair.substring(eq + 1);
            if (eq <= 0 || !plainCount(count)) {
                throw new IllegalArgumentException("bad refcount '" + pair + "' (NAME=COUNT, one space apart, the count "
                        + "a whole number from 0)");
            }
            if (out.put(pair.substring(0, eq), Integer.parseInt(count)) != null) {
                throw new IllegalArgumentException("refcount " + pair.substring(0, eq) + " given twice");
            }
        }
        return out;
    }

    /**
     * Whether {@code s} is a count as format writes it: {@code 0|[1-9][0-9]{0,8}} (checked by hand:
     * the pattern, compiled for every pair, was a tenth of what an import of 137,000 events allocated).
     */
    static boolean plainCount(String s) {
        int n = s.length();
        if (n == 0 || n > 9 || s.charAt(0) < '0' || s.charAt(0) > '9' || s.charAt(0) == '0' && n > 1) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static String format(Map<String, Integer> counters) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(counters).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }
}
