package org.cgledger.persistence;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.RandomAccess;

/**
 * Journal rows kept as they are stored, each decoded when it is asked for: a reader that walks the
 * whole journal in order (the audit) holds a row's payload, about 200 bytes, instead of the decoded
 * row with its event and its refcounts (an audit of a 1,000,000-event journal needed a heap of
 * 800 MB, and 600 MB so). In ledger-wide order ({@link JournalRows#ORDER}), as {@link JournalRows#readAll} gives
 * them; every {@link #get} decodes again, so a caller that needs a row twice keeps it.
 */
public final class EncodedRows extends AbstractList<Journals.Stored> implements RandomAccess {

    private final String[] streams;
    private final long[] numbers;
    private final byte[][] payloads;
    /** Row {@code i} of the list is stored row {@code order[i]}. */
    private final int[] order;

    private EncodedRows(String[] streams, long[] numbers, byte[][] payloads, int[] order) {
        this.streams = streams;
        this.numbers = numbers;
        this.payloads = payloads;
        this.order = order;
    }

    /** Gathers stored rows, then sorts them: {@link #add} each, then {@link #build}. */
    static final class Builder {
        private String[] streams = new String[1024];
        private long[] numbers = new long[1024];
        private long[] seqs = new long[1024];
        private byte[][] payloads = new byte[1024][];
        private int size;

        /** Adds the row stored at {@code persistenceId} / {@code nr}, whose ledger-wide number is {@code seq}. */
        void add(String persistenceId, long nr, long seq, byte[] payload) {
            if (size == numbers.length) {
                int n = size * 2;
                streams = Arrays.copyOf(streams, n);
                numbers = Arrays.copyOf(numbers, n);
                seqs = Arrays.copyOf(seqs, n);
                payloads = Arrays.copyOf(payloads, n);
            }
            // the few stream names, shared rather than one string a row
            streams[size] = persistenceId.intern();
            numbers[size] = nr;
            seqs[size] = seq;
            payloads[size] = payload;
            size++;
        }

        EncodedRows build() {
            Integer[] boxed = new Integer[size];
            for (int i = 0; i < size; i++) {
                boxed[i] = i;
            }
            long[] s = seqs;
            String[] p = streams;
            long[] n = numbers;
            Arrays.sort(boxed, Comparator.<Integer>comparingLong(i -> s[i]).thenComparing(i -> p[i])
                    .thenComparingLong(i -> n[i]));
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = boxed[i];
            }
            return new EncodedRows(Arrays.copyOf(streams, size), Arrays.copyOf(numbers, size),
                    Arrays.copyOf(payloads, size), order);
        }
    }

    /**
     * The ledger-wide number at the head of a stored payload ({@code {"v":1,"seq":N,...}}, as
     * {@link JournalEntry} writes it), or -1 when the payload does not start so.
     */
    static long seqAtHead(byte[] payload) {
        // as JournalEntry writes it, read from the bytes: a parser made for each row was a sixteenth
        // of who-holds' CPU on a 137,335-event ledger. Anything else the parser reads
        int at = HEAD.length;
        if (payload.length > at && Arrays.equals(payload, 0, at, HEAD, 0, at)) {
            long seq = 0;
            int i = at;
            for (; i < payload.length && i - at < 18 && payload[i] >= '0' && payload[i] <= '9'; i++) {
                seq = seq * 10 + (payload[i] - '0');
            }
            if (i > at && i < payload.length && (payload[i] == ',' || payload[i] == '}')
                    && (payload[at] != '0' || i == at + 1)) {
                return seq;
            }
        }
        return seqAtHeadParsed(payload);
    }

    private static final byte[] HEAD = "{\"v\":1,\"seq\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** {@link #seqAtHead}, read by Jackson's parser. */
    static long seqAtHeadParsed(byte[] payload) {
        try (JsonParser p = StoredCodec.json().getFactory().createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            for (int fields = 0; fields < 2 && p.nextToken() == JsonToken.FIELD_NAME; fields++) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("seq")) {
                    return value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                }
                if (value.isStructStart()) {
                    return -1;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public Journals.Stored get(int index) {
        int i = order[index];
        return JournalRows.decode(streams[i], numbers[i], payloads[i]);
    }

    @Override
    public int size() {
        return order.length;
    }
}
