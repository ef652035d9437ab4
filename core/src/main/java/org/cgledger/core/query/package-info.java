/**
 * Read-side queries over one {@code State}: who holds a css or a css_set (the terms of each
 * refcount, DESIGN.md §1), what reading a cgroupfs file gives, what {@code ls} lists. Pure and
 * JDK-only, like the rest of core, so the CLI, the audit and the tests compute views the same way.
 * Nothing here decides or changes anything.
 */
package org.cgledger.core.query;
