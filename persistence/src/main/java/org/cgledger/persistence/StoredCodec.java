package org.cgledger.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.cgledger.core.event.CgroupRemoved;
import org.cgledger.core.model.CgroupId;

/**
 * Decodes what the journal plugin stored (a journal entry, a model snapshot) without an actor
 * system, so a ledger recovers while Pekko starts: the JSON of {@link JsonSerializer} (id 7302,
 * what this build writes) and the model snapshot's binary form ({@link ModelSnapshotSerializer});
 * and what earlier builds stored with Pekko's Jackson serializers, read with the same mapping
 * ({@link CoreJacksonModule}): {@code jackson-json} (id 31; gzip above 32 KiB, by Pekko's default)
 * and {@code jackson-cbor} (id 33, uncompressed). Tests check that it decodes exactly what those
 * serializers wrote.
 */
final class StoredCodec {

    /** Pekko's serializer ids for {@code jackson-json} and {@code jackson-cbor}. */
    static final int JSON_ID = 31;
    static final int CBOR_ID = 33;

    /**
     * The journal's JSON mapping: {@link JsonSerializer}'s, and that of Pekko's {@code jackson-json}
     * before it. Built on first use (0.1-0.2 s): a model snapshot decodes without it.
     */
    static ObjectMapper json() {
        return Json.MAPPER;
    }

    /**
     * Builds {@link #json()} and runs its write path once, on the calling thread: the serializer of
     * a journal entry and the mapper's machinery for writing, which a ledger's first write would
     * otherwise build on its way to the database (in a one-shot command's timeline, the first
     * entry's serialization: 12-18 ms without, 5-7 ms with; each event type's own serializer is
     * still built at its first write, as warming all twenty cost more than it saved). What it
     * builds, the mapper keeps.
     */
    static void warmWrites() {
        ObjectMapper m = json();
        try {
            m.writeValueAsBytes(new JournalEntry(JournalEntry.VERSION, 0, 0, new CgroupRemoved(new CgroupId(1)), ""));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the journal's JSON mapping cannot write an entry: " + e.getMessage(), e);
        }
    }

    private static final class Json {
        static final ObjectMapper MAPPER = mapper(new ObjectMapper());
    }

    /** Only snapshots stored by earlier builds are CBOR: a one-shot command does not build it. */
    private static final class Cbor {
        static final ObjectMapper MAPPER = mapper(new ObjectMapper(new CBORFactory()));
    }

    private StoredCodec() {
    }

    private static ObjectMapper mapper(ObjectMapper m) {
        return m.registerModule(new CoreJacksonModule()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                false);
    }

    /** Decodes a stored payload of type {@code type}; fails with what could not be read. */
    static <T> T decode(byte[] bytes, int serializerId, String manifest, Class<T> type) throws IOException {
        if (!manifest.equals(type.getName())) {
            throw new IOException("stored as " + manifest + ", not " + type.getSimpleName());
        }
        return switch (serializerId) {
            case JsonSerializer.ID -> json().readValue(bytes, type);
            case JSON_ID -> json().readValue(gunzipped(bytes), type);
            case CBOR_ID -> Cbor.MAPPER.readValue(bytes, type);
            case ModelSnapshotSerializer.ID -> type.cast(ModelSnapshotCodec.decode(bytes));
            default -> throw new IOException("unknown serializer id " + serializerId);
        };
    }

    /**
     * Why a journal entry could not be decoded, in words and without Java class names: an unknown
     * or missing event type (with the types this build reads), an event schema version it does not
     * read ({@link JournalEntry#read}), else the field and Jackson's own words, class names shortened.
     */
    static String undecodable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidTypeIdException x) {
                String known = String.join(", ", CoreJacksonModule.eventTypes());
                return x.getTypeId() == null ? "an event without a type (\"type\": one of " + known + ")"
                        : "unknown event type '" + x.getTypeId() + "' (one of " + known + ")";
            }
            if (t instanceof ValueInstantiationException x && x.getCause() instanceof IllegalArgumentException a
                    && x.getType() != null && x.getType().hasRawClass(JournalEntry.class)) {
                return a.getMessage();
            }
        }
        if (e instanceof JsonMappingException m && !(e instanceof ValueInstantiationException)) {
            StringBuilder field = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    field.append(field.length() == 0 ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    field.append('[').append(r.getIndex()).append(']');
                }
            }
            String words = withoutPackages(m.getOriginalMessage().strip().lines().findFirst().orElse(""));
            // "Cannot construct instance of `CgroupId` (although at least one Creator exists): no
            // double/Double-argument constructor/factory method to deserialize from Number value (3.0)"
            java.util.regex.Matcher kind = CANNOT_CONSTRUCT.matcher(words);
            if (kind.matches()) {
                words = kind.group(2) + " cannot be read as a " + kind.group(1);
            }
            return field.length() == 0 ? words : "\"" + field + "\": " + words;
        }
        return withoutPackages(JournalStore.rootMessage(e));
    }

    /** Jackson's words for a value of the wrong kind for a type: the type, and the value. */
    private static final java.util.regex.Pattern CANNOT_CONSTRUCT = java.util.regex.Pattern.compile(
            "Cannot construct instance of `(\\w+)`.* from \\w+ value \\((.*)\\)");

    /** {@code `org.cgledger.core.model.HierarchyId`} as {@code `HierarchyId`}: Jackson names types by class. */
    private static String withoutPackages(String message) {
        return message.replaceAll("`(?:[a-z_$][\\w$]*\\.)+([A-Za-z_$][\\w$]*)`", "`$1`")
                .replaceAll("\\[simple type, class (?:[a-z_$][\\w$]*\\.)+([A-Za-z_$][\\w$]*)\\]", "`$1`");
    }

    private static InputStream gunzipped(byte[] bytes) throws IOException {
        InputStream in = new ByteArrayInputStream(bytes);
        boolean gzip = bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
        return gzip ? new GZIPInputStream(in, 65_536) : in;
    }
}
