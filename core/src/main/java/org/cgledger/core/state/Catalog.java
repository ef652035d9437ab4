package org.cgledger.core.state;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cgledger.core.model.Subsystem;

/** The subsystem catalog fixed at init, in its order; each subsystem's index in a css_set tuple. */
public final class Catalog {

    private final List<Subsystem> subsystems;
    private final Map<String, Subsystem> byName;

    public Catalog(List<Subsystem> subsystems) {
        this.subsystems = List.copyOf(subsystems);
        Map<String, Subsystem> names = new HashMap<>();
        for (int i = 0; i < this.subsystems.size(); i++) {
            names.put(this.subsystems.get(i).name(), this.subsystems.get(i));
        }
        this.byName = Map.copyOf(names);
    }

    public List<Subsystem> subsystems() {
        return subsystems;
    }

    public int size() {
        return subsystems.size();
    }

    /**
     * The subsystem's position in every css_set tuple; -1 if it is not in the catalog. A scan,
     * identity first: a catalog holds a handful of subsystems, and a css names the catalog's own
     * instance, so this beats hashing the name.
     */
    public int indexOf(Subsystem s) {
        for (int i = 0; i < subsystems.size(); i++) {
            if (subsystems.get(i) == s) {
                return i;
            }
        }
        for (int i = 0; i < subsystems.size(); i++) {
            if (subsystems.get(i).equals(s)) {
                return i;
            }
        }
        return -1;
    }

    public Optional<Subsystem> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean contains(Subsystem s) {
        return indexOf(s) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Catalog c && c.subsystems.equals(subsystems);
    }

    @Override
    public int hashCode() {
        return subsystems.hashCode();
    }

    @Override
    public String toString() {
        return subsystems.toString();
    }
}
