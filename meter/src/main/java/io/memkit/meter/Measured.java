package io.memkit.meter;

/**
 * A value computed by a measured block, and what computing it cost.
 *
 * @param value       what the block returned (may be {@code null})
 * @param measurement what the block cost
 * @param <T>         the type of the value
 */
public record Measured<T>(T value, Measurement measurement) {
}
