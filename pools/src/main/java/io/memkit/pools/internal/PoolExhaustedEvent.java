package io.memkit.pools.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** JFR event: an acquire found its pool at the cap. Written by {@link PoolEvents}. */
@Name("io.memkit.PoolExhausted")
@Label("Pool Exhausted")
@Category({"memkit", "Pools"})
@Description("An acquire found the pool at its cap; with the WAIT policy, waited says for how long.")
final class PoolExhaustedEvent extends jdk.jfr.Event {
    @Label("Pool")
    String pool;
    @Label("Pool Type")
    String poolType;
    @Label("Requested")
    @Description("Bytes asked for (BufferPool) or 1 (ObjectPool)")
    @DataAmount
    long requested;
    @Label("Policy")
    String policy;
    @Label("Waited")
    @Timespan(Timespan.NANOSECONDS)
    long waited;
    @Label("Failed")
    @Description("Whether the acquire gave up and threw")
    boolean failed;
}
