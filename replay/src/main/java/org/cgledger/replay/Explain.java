package org.cgledger.replay;

import java.util.ArrayList;
import java.util.List;
import org.cgledger.core.command.Rmdir;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.decide.Decision;
import org.cgledger.core.decide.Paths;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.Errno;
import org.cgledger.core.model.Result;
import org.cgledger.core.query.Holder;
import org.cgledger.core.query.Holders;
import org.cgledger.core.state.Cgroup;
import org.cgledger.core.state.ChargedObject;
import org.cgledger.core.state.Css;
import org.cgledger.core.state.State;

/**
 * Would {@code rmdir PATH} succeed now, and if not, every reason: a root is never removed; tasks
 * attached, live children, and for each css of a non-root group every css_set other than the
 * directory's own that contains it and every object pinning it (directly under pin=css, through a
 * pinned css_set under pin=cssset), with the task that charged it and the event. The verdict is core's own {@code Decider} on an {@code Rmdir} (nothing is decided
 * twice); the reasons are read from the state.
 */
public final class Explain {

    private Explain() {
    }

    /**
     * @param verdict {@code ok}, or the errno and the model's reason
     * @param errno what rmdir would fail with; null if it would succeed
     */
    public record Answer(String path, boolean wouldSucceed, String verdict, Errno errno, String policy,
                         List<String> reasons) {
        public Answer {
            reasons = List.copyOf(reasons);
        }
    }

    /** Explains rmdir of {@code path} in {@code s}; a missing path answers its ENOENT. */
    public static Answer rmdir(State s, String path) {
        String policy = "pin=" + s.pin().name().toLowerCase() + " rmdir=" + s.rmdir().name().toLowerCase();
        Decision d = Decider.decide(s, new Rmdir(path));
        String verdict = d instanceof Decision.Rejected r ? r.errno() + " " + r.message() + ": " + r.reason() : "ok";
        List<String> reasons = new ArrayList<>();
        Result<Paths.Found> found = Paths.find(s, path);
        if (found instanceof Result.Ok<Paths.Found> ok) {
            Cgroup c = ok.value().c();
            if (c.isRoot()) {
                // a root is never removed, whatever holds it: its css are the root css, in every
                // css_set that has no other css of their subsystems, and never released
                reasons.add(s.path(c.id()) + " is the root of its hierarchy (a mount point): only umount ends it");
            }
            c.tasks().sorted(null).forEach(p -> reasons.add("task " + p + " is attached"));
            List<String> children = new ArrayList<>(c.children().keys());
            children.sort(null);
            children.forEach(name -> reasons.add("child " + s.path(c.children().get(name)) + " exists"));
            for (CssId id : c.isRoot() ? List.<CssId>of() : c.css()) {
                Css css = s.css(id);
                if (css == null) {
                    continue;
                }
                for (Holder h : Holders.ofCss(s, id)) {
                    if (h instanceof Holder.OfCssSet set && !set.id().equals(c.ownSet())) {
                        reasons.add(id + " is in css_set " + set.id() + " (refcount " + s.cssSet(set.id()).refcount()
                                + ")");
                    }
                }
                // an object pins its css itself under pin=css; under pin=cssset it pins a css_set (below)
                css.charged().sorted(null).stream().map(s::object).filter(o -> o.pinnedSet() == null)
                        .forEach(o -> reasons.add(id + " is pinned by " + pin(s, o)));
                s.cssSets().forEach((setId, set) -> {
                    if (set.key().css().contains(id)) {
                        set.pinnedBy().sorted(null).forEach(o -> reasons.add(id + " is pinned through css_set " + setId
                                + " by " + pin(s, s.object(o))));
                    }
                });
            }
        }
        return new Answer(path, d instanceof Decision.Accepted, verdict,
                d instanceof Decision.Rejected r ? r.errno() : null, policy, reasons);
    }

    static String pin(State s, ChargedObject o) {
        return o.name() + " (" + o.subsys() + ", " + o.amount() + (o.cache() ? ", cache" : "") + ", charged by task "
                + o.chargedBy() + " at event #" + o.chargedAt() + (o.holders().isEmpty() ? ", no holder left"
                : ", held by " + o.holders().sorted(null)) + ")";
    }

}
