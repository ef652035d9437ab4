package org.cgledger.persistence;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.util.List;
import org.cgledger.core.event.Event;
import org.cgledger.core.model.CgroupId;
import org.cgledger.core.model.CssId;
import org.cgledger.core.model.CssSetId;
import org.cgledger.core.model.CssSetKey;
import org.cgledger.core.model.HierarchyId;
import org.cgledger.core.model.Limit;
import org.cgledger.core.model.ObjectName;
import org.cgledger.core.model.Pid;
import org.cgledger.core.model.Subsystem;

/**
 * How core's types map to JSON, kept out of core (which knows no framework): ids are plain numbers
 * or strings, an event names its type by its simple name in {@code "type"} (no class names in the
 * payload), records map by component. Registered on the journal's mapper ({@link StoredCodec}).
 */
public final class CoreJacksonModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    public CoreJacksonModule() {
        super("cgledger-core");
        setMixInAnnotation(Event.class, EventMixin.class);
        for (Class<?> c : Event.class.getPermittedSubclasses()) {
            registerSubtypes(new NamedType(c, typeName(c)));
        }
        setMixInAnnotation(Pid.class, PidMixin.class);
        setMixInAnnotation(CgroupId.class, CgroupIdMixin.class);
        setMixInAnnotation(CssSetId.class, CssSetIdMixin.class);
        setMixInAnnotation(HierarchyId.class, HierarchyIdMixin.class);
        setMixInAnnotation(Subsystem.class, SubsystemMixin.class);
        setMixInAnnotation(ObjectName.class, ObjectNameMixin.class);
        setMixInAnnotation(Limit.class, LimitMixin.class);
        setMixInAnnotation(CssId.class, CssIdMixin.class);
        setMixInAnnotation(CssSetKey.class, CssSetKeyMixin.class);
    }

    /** An event's {@code "type"}: its simple name. */
    static String typeName(Class<?> eventClass) {
        return eventClass.getSimpleName();
    }

    /** Every event type this build reads, sorted: what an unknown {@code "type"} is told to be one of. */
    static List<String> eventTypes() {
        return java.util.Arrays.stream(Event.class.getPermittedSubclasses()).map(CoreJacksonModule::typeName)
                .sorted().toList();
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
    abstract static class EventMixin {
    }

    abstract static class PidMixin {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        PidMixin(int value) {
        }

        @JsonValue
        abstract int value();
    }

    abstract static class CgroupIdMixin {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        CgroupIdMixin(long value) {
        }

        @JsonValue
        abstract long value();
    }

    abstract static class CssSetIdMixin {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        CssSetIdMixin(long serial) {
        }

        @JsonValue
        abstract long serial();
    }

    abstract static class HierarchyIdMixin {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        HierarchyIdMixin(int value) {
        }

        @JsonValue
        abstract int value();
    }

    abstract static class SubsystemMixin {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        SubsystemMixin(String name) {
        }

        @JsonValue
        abstract String name();
    }

    abstract static class ObjectNameMixin {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        ObjectNameMixin(String value) {
        }

        @JsonValue
        abstract String value();
    }

    abstract static class LimitMixin {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        LimitMixin(long value) {
        }

        @JsonValue
        abstract long value();

        @JsonIgnore
        abstract boolean isMax();
    }

    abstract static class CssIdMixin {
        @JsonCreator
        CssIdMixin(@JsonProperty("subsys") Subsystem subsys, @JsonProperty("serial") int serial) {
        }

        @JsonIgnore
        abstract boolean isRoot();
    }

    abstract static class CssSetKeyMixin {
        @JsonCreator
        CssSetKeyMixin(@JsonProperty("css") List<CssId> css, @JsonProperty("cgroups") List<CssSetKey.Member> cgroups) {
        }

        @JsonProperty("css")
        abstract List<CssId> css();

        @JsonProperty("cgroups")
        abstract List<CssSetKey.Member> cgroups();

        @JsonIgnore
        abstract int size();
    }
}
