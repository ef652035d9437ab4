package org.cgledger.cli.conformance;

import java.util.List;
import java.util.Set;

/** One side of a conformance run (the model, or the kernel): runs a script line by line. */
public interface Side extends AutoCloseable {

    /** Runs line {@code number}: {@code text} as typed, {@code words} as the sh tokenizer split it (never empty). */
    Outcome run(int number, String text, List<String> words);

    /**
     * The scenario hierarchies after the script. {@code expected}: the names the other side has
     * (the kernel side waits a moment for a destroyed hierarchy to go away, as its teardown is asynchronous).
     */
    Snapshot snapshot(Set<String> expected);

    @Override
    void close();
}
