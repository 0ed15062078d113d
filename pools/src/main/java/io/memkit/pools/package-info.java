/**
 * Bounded pools: {@link io.memkit.pools.BufferPool} leases direct memory as
 * {@link io.memkit.pools.PooledBuffer}s, {@link io.memkit.pools.ObjectPool} lends reusable objects
 * as {@link io.memkit.pools.Pooled} handles.
 *
 * <p>Both pools are bounded ({@code maxBytes} / {@code maxTotal}), fail or wait when exhausted
 * ({@link io.memkit.pools.Exhausted}), track leaks ({@link io.memkit.pools.LeakDetection}), keep
 * no thread-local caches (so they stay bounded under virtual threads), and expose their counters
 * through {@code stats()} and {@link io.memkit.meter.Instruments}.
 */
package io.memkit.pools;
