package org.cgledger.core.state;

import java.util.Objects;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.Subsystem;
import org.cgledger.core.util.PSet;

/**
 * A resource object charged to a css (a file, a page).
 *
 * @param cache like a page-cache page: stays charged after its last holder exits, until uncharged
 * @param holders the tasks holding it
 * @param pinnedSet the css_set it pins under policy pin=cssset; null under pin=css (it pins {@code css})
 * @param chargedBy the task that charged it
 * @param chargedAt the ledger-wide number of the event that charged it
 */
public record ChargedObject(ObjectName name, Subsystem subsys, CssId css, long amount, boolean cache,
                            PSet<Pid> holders, CssSetId pinnedSet, Pid chargedBy, long chargedAt) {

    public ChargedObject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subsys, "subsys");
        Objects.requireNonNull(css, "css");
        Objects.requireNonNull(holders, "holders");
        Objects.requireNonNull(chargedBy, "chargedBy");
    }

    public ChargedObject withHolders(PSet<Pid> h) {
        return new ChargedObject(name, subsys, css, amount, cache, h, pinnedSet, chargedBy, chargedAt);
    }

    public ChargedObject movedTo(CssId c, CssSetId pin) {
        return new ChargedObject(name, subsys, c, amount, cache, holders, pin, chargedBy, chargedAt);
    }
}
