/**
 * Weak canonicalization ({@link io.memkit.weakcache.Interner}) and caches whose entries
 * vanish once their value is collected ({@link io.memkit.weakcache.WeakCache}).
 */
module io.memkit.weakcache {
    requires transitive io.memkit.meter;
    exports io.memkit.weakcache;
}
