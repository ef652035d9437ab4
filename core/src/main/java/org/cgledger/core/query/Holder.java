package org.cgledger.core.query;

import java.util.Objects;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.Pid;
import org.cgledger.core.state.ChargedObject;

/**
 * One term of a refcount: what holds one reference on a css or a css_set. A css is held by the
 * live css_sets containing it and by the objects pinning it directly (pin=css); a css_set by the
 * tasks using it, the cgroup directories holding it, and the objects pinning it (pin=cssset).
 */
public sealed interface Holder {

    /** A live css_set that contains the css. */
    record OfCssSet(CssSetId id) implements Holder {
        public OfCssSet {
            Objects.requireNonNull(id, "id");
        }
    }

    /** A task using the css_set. */
    record OfTask(Pid pid) implements Holder {
        public OfTask {
            Objects.requireNonNull(pid, "pid");
        }
    }

    /** A live cgroup directory holding the css_set as its own. */
    record OfDirectory(CgroupId cgroup) implements Holder {
        public OfDirectory {
            Objects.requireNonNull(cgroup, "cgroup");
        }
    }

    /** A charged object pinning the css (pin=css) or the css_set (pin=cssset). */
    record OfObject(ChargedObject object) implements Holder {
        public OfObject {
            Objects.requireNonNull(object, "object");
        }
    }
}
