/**
 * Machinery shared by memkit's modules and not part of its API: the thread-to-stripe mapping and
 * the striped counters every component counts with. Exported only to memkit's own modules.
 */
package io.memkit.meter.internal;
