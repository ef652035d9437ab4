package org.cgledger.core.model;

import java.util.Objects;
import java.util.function.Function;

/**
 * A value, or a refusal with its errno and reason. What parsing user input yields: a refusal is an
 * answer, not an exception.
 */
public sealed interface Result<T> {

    record Ok<T>(T value) implements Result<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    record Refused<T>(Errno errno, String reason) implements Result<T> {
        public Refused {
            Objects.requireNonNull(errno, "errno");
            Objects.requireNonNull(reason, "reason");
        }
    }

    static <T> Result<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Result<T> refused(Errno errno, String reason) {
        return new Refused<>(errno, reason);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    default <U> Result<U> map(Function<? super T, ? extends U> f) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(f.apply(ok.value()));
        }
        Refused<T> r = (Refused<T>) this;
        return new Refused<>(r.errno(), r.reason());
    }
}
