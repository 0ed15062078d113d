package io.memkit.weakcache.internal;

import io.memkit.meter.Instruments;
import io.memkit.weakcache.RemovalListener;
import io.memkit.weakcache.WeakCache;
import java.lang.ref.Cleaner;

/**
 * The {@link WeakCache.Builder}: collects the settings and makes a {@link WeakValueCache}.
 * Not thread-safe.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class WeakValueCacheBuilder<K, V> implements WeakCache.Builder<K, V> {
    private String name;
    private RemovalListener<? super K, ? super V> listener;
    private Cleaner cleaner;

    /** A builder with a generated name, no listener and no cleaner. */
    public WeakValueCacheBuilder() {
    }

    @Override
    public WeakCache.Builder<K, V> name(String name) {
        if (name == null) {
            throw new NullPointerException("name must not be null");
        }
        this.name = name;
        return this;
    }

    @Override
    public WeakCache.Builder<K, V> removalListener(RemovalListener<? super K, ? super V> listener) {
        if (listener == null) {
            throw new NullPointerException("listener must not be null");
        }
        this.listener = listener;
        return this;
    }

    @Override
    public WeakCache.Builder<K, V> cleaner(Cleaner cleaner) {
        if (cleaner == null) {
            throw new NullPointerException("cleaner must not be null");
        }
        this.cleaner = cleaner;
        return this;
    }

    @Override
    public <K1 extends K, V1 extends V> WeakCache<K1, V1> build() {
        RemovalListener<? super K1, ? super V1> l = listener;
        return Instruments.register(new WeakValueCache<K1, V1>(name, l, cleaner));
    }
}
