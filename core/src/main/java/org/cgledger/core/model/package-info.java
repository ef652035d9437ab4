/**
 * Value types of the model, named as in the kernel and the seed: subsystems, hierarchies, cgroups,
 * css ({@code A1}), css_sets ({@code N3}), pids, objects, limits, the two policies and errno.
 * Each is an immutable record or enum that validates itself; parsing user text into them is here
 * too, so every front end refuses bad input with the same errno.
 */
package org.cgledger.core.model;
