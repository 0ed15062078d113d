package io.memkit.pools.internal;

import java.time.Duration;
import java.util.Objects;

/** The argument checks both pool builders share, so that both reject the same input with the same message. */
final class BuilderChecks {
    private BuilderChecks() {
    }

    /**
     * A pool name: not null, not empty.
     *
     * @param name the name
     * @return {@code name}
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    static String name(String name) {
        Objects.requireNonNull(name, "name must not be null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        return name;
    }

    /**
     * An acquire timeout: not null, not negative.
     *
     * @param timeout the timeout
     * @return {@code timeout}
     * @throws NullPointerException     if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    static Duration acquireTimeout(Duration timeout) {
        return duration("acquireTimeout", timeout, "");
    }

    /**
     * A duration setting: not null, not negative.
     *
     * @param setting the builder method, for messages
     * @param value   the duration
     * @param zero    what zero means, for the message, or empty
     * @return {@code value}
     * @throws NullPointerException     if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is negative
     */
    static Duration duration(String setting, Duration value, String zero) {
        Objects.requireNonNull(value, () -> setting + ": the timeout must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(setting + " must be >= 0" + zero + ": " + value);
        }
        return value;
    }
}
