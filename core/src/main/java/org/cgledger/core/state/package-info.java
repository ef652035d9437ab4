/**
 * The container system's state: hierarchies, cgroups, css, css_sets, tasks and charged objects,
 * as immutable records over persistent maps. Reference counts live here as kept incrementally by
 * {@code Evolver}; {@code Refcounts.recompute} derives them again from first principles.
 */
package org.cgledger.core.state;
