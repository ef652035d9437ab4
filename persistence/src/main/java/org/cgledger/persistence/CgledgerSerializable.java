package org.cgledger.persistence;

/**
 * Marker for what cgledger stores through Pekko serialization: bound by name to {@code jackson-json}
 * in {@code application.conf}. Core's types carry no annotation; {@link CoreJacksonModule} says
 * how they map to JSON.
 */
public interface CgledgerSerializable {
}
