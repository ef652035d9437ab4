package org.cgledger.persistence;

/**
 * Marker for what cgledger stores through Pekko serialization: bound by name to
 * {@link JsonSerializer} in {@code reference.conf}. Core's types carry no annotation;
 * {@link CoreJacksonModule} says how they map to JSON.
 */
public interface CgledgerSerializable {
}
