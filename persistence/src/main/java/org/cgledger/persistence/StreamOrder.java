package org.cgledger.persistence;

/**
 * What recovery requires of one stream's rows, taken in sequence-number order: sequence numbers
 * that run on from the last one taken (1, 2, 3... from a stream's start) without a gap or a
 * repeat, and ledger-wide numbers that increase along the stream. {@link RecoveryFeed} refuses a
 * journal that breaks it as damaged; {@code import} refuses, before writing, a journal that would.
 */
public final class StreamOrder {

    private final String persistenceId;
    private long lastNr;
    private long lastSeq = Long.MIN_VALUE;

    /** The stream {@code persistenceId} with its rows up to sequence number {@code after} taken (0: none). */
    public StreamOrder(String persistenceId, long after) {
        this.persistenceId = persistenceId;
        this.lastNr = after;
    }

    /** The sequence number of the last row taken. */
    public long last() {
        return lastNr;
    }

    /**
     * Takes the stream's next row: stored at sequence number {@code sequenceNr}, numbered
     * {@code seq} ledger-wide.
     *
     * @return null when it follows the last row taken; else why it does not (and it is not taken)
     */
    public String next(long sequenceNr, long seq) {
        if (sequenceNr != lastNr + 1) {
            return "stream " + persistenceId + (sequenceNr > lastNr ? " has a gap: sequence number " + sequenceNr
                    + " follows " + lastNr : " repeats sequence number " + sequenceNr);
        }
        if (seq <= lastSeq) {
            return "stream " + persistenceId + ", sequence number " + sequenceNr + ": event #" + seq
                    + " is not after #" + lastSeq;
        }
        lastNr = sequenceNr;
        lastSeq = seq;
        return null;
    }
}
