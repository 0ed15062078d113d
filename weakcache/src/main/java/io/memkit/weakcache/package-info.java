/**
 * Weak canonicalization ({@code Interner}) and weak-valued caches ({@code WeakCache}).
 */
package io.memkit.weakcache;
