package org.cgledger.core.state;

import java.util.Objects;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssSetKey;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.util.PSet;

/**
 * A css_set (the seed's nsproxy), interned by its {@link CssSetKey}.
 *
 * @param refcount tasks using it + cgroup directories holding it + objects pinning it (kept incrementally)
 * @param pinnedBy the objects pinning it (policy pin=cssset)
 */
public record CssSet(CssSetId id, CssSetKey key, int refcount, PSet<ObjectName> pinnedBy) {

    public CssSet {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(pinnedBy, "pinnedBy");
    }

    public CssSet withRefcount(int r) {
        return new CssSet(id, key, r, pinnedBy);
    }

    public CssSet withPinnedBy(PSet<ObjectName> p) {
        return new CssSet(id, key, refcount, p);
    }
}
