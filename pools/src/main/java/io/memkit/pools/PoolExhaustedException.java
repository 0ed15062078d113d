package io.memkit.pools;

/**
 * Thrown when a pool cannot satisfy a request within its cap: at once under
 * {@link Exhausted#FAIL}, after the acquire timeout under {@link Exhausted#WAIT}. The message
 * names the pool, the request, the cap, what is in use and what is idle.
 */
public final class PoolExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was asked, of which pool, and why it could not be given
     */
    public PoolExhaustedException(String message) {
        super(message);
    }
}
