package org.cgledger.persistence;

import java.io.IOException;
import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Pekko's serializer for the journal's payloads ({@link CgledgerSerializable}, bound in
 * {@code reference.conf}): plain JSON with the mapping of {@link CoreJacksonModule}, the bytes
 * Pekko's own {@code jackson-json} wrote for them in earlier builds (those rows, id 31, still
 * decode: {@link StoredCodec}). Its own serializer, because Pekko's builds three Jackson mappers,
 * with the Scala module, as the actor system starts: 0.2-0.3 s of every one-shot command.
 */
public final class JsonSerializer extends SerializerWithStringManifest {

    /** Stored with every journal row this build writes; Pekko keeps 0-40 for itself. */
    public static final int ID = 7302;

    public JsonSerializer(ExtendedActorSystem system) {
    }

    @Override
    public int identifier() {
        return ID;
    }

    @Override
    public String manifest(Object o) {
        return o.getClass().getName();
    }

    @Override
    public byte[] toBinary(Object o) {
        if (!(o instanceof CgledgerSerializable)) {
            throw new IllegalArgumentException("not a cgledger payload: " + o.getClass().getName());
        }
        try {
            return StoredCodec.json().writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + o.getClass().getSimpleName() + " as JSON: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        try {
            Class<?> type = Class.forName(manifest, false, JsonSerializer.class.getClassLoader());
            if (!CgledgerSerializable.class.isAssignableFrom(type)) {
                throw new NotSerializableException("not a cgledger payload: " + manifest);
            }
            return StoredCodec.decode(bytes, ID, manifest, type);
        } catch (ClassNotFoundException | IOException e) {
            NotSerializableException x = new NotSerializableException(manifest + ": " + e.getMessage());
            x.initCause(e);
            throw x;
        }
    }
}
