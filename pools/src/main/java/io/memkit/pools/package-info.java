/**
 * Bounded pools: {@code BufferPool} for direct memory and {@code ObjectPool} for reusable objects.
 */
package io.memkit.pools;
