package io.memkit.pools.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event: a pooled handle was collected without being closed. Written by {@link PoolEvents}. */
@Name("io.memkit.LeakDetected")
@Label("Leak Detected")
@Category({"memkit", "Pools"})
@Description("A lease or pooled object was collected without being closed; acquiredAt says where it was taken.")
// The event is written on the thread that found the leak, whose stack says nothing about it.
@StackTrace(false)
final class LeakDetectedEvent extends jdk.jfr.Event {
    @Label("Pool")
    String pool;
    @Label("Pool Type")
    String poolType;
    @Label("Capacity")
    @DataAmount
    long capacity;
    @Label("Acquiring Thread")
    String acquiringThread;
    @Label("Acquired At")
    @Description("The stack of the acquire, one frame per line")
    String acquiredAt;
    @Label("Reclaimed")
    @Description("Whether the pool took the memory or object back (false: quarantined or dropped)")
    boolean reclaimed;
}
