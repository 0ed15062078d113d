package io.memkit.pools.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** Periodic JFR event: one pool's memory and counters. Written by {@link PoolEvents}. */
@Name("io.memkit.PoolStatistics")
@Label("Pool Statistics")
@Category({"memkit", "Pools"})
@Description("Memory and counters of one memkit pool, every period")
@Period("1 s")
@StackTrace(false)
final class PoolStatisticsEvent extends jdk.jfr.Event {
    @Label("Pool")
    String pool;
    @Label("Pool Type")
    String poolType;
    @Label("Bytes In Use")
    @DataAmount
    long bytesInUse;
    @Label("Bytes Idle")
    @DataAmount
    long bytesIdle;
    @Label("Bytes Reserved")
    @DataAmount
    long bytesReserved;
    @Label("In Use")
    @Description("Live leases or objects lent out")
    long inUse;
    @Label("Idle")
    @Description("Idle objects (ObjectPool)")
    long idle;
    @Label("Acquires")
    long acquires;
    @Label("Releases")
    long releases;
    @Label("Exhausted")
    long exhausted;
    @Label("Leaks Detected")
    long leaksDetected;
}
