package org.cgledger.persistence;

import java.io.IOException;
import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Pekko's serializer for the model snapshot, bound in {@code reference.conf}: the compact binary
 * form of {@link ModelSnapshotCodec}. Recovery reads the same bytes without Pekko
 * ({@link StoredCodec}).
 */
public final class ModelSnapshotSerializer extends SerializerWithStringManifest {

    /** Stored with every snapshot row; Pekko keeps 0-40 for itself. */
    public static final int ID = 7301;

    public ModelSnapshotSerializer(ExtendedActorSystem system) {
    }

    @Override
    public int identifier() {
        return ID;
    }

    @Override
    public String manifest(Object o) {
        return ModelSnapshot.class.getName();
    }

    @Override
    public byte[] toBinary(Object o) {
        if (!(o instanceof ModelSnapshot m)) {
            throw new IllegalArgumentException("not a model snapshot: " + o.getClass().getName());
        }
        return ModelSnapshotCodec.encode(m);
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        if (!manifest.equals(ModelSnapshot.class.getName())) {
            throw new NotSerializableException("not a model snapshot: " + manifest);
        }
        try {
            return ModelSnapshotCodec.decode(bytes);
        } catch (IOException e) {
            NotSerializableException x = new NotSerializableException(e.getMessage());
            x.initCause(e);
            throw x;
        }
    }
}
