package io.memkit.bench.report.scenarios;

import io.memkit.bench.report.GcCounters;
import io.memkit.bench.report.Role;
import io.memkit.bench.report.Scenario;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.ScenarioResult;
import io.memkit.bench.report.VariantResult;
import io.memkit.netty.MemkitByteBufAllocator;
import io.memkit.pools.BufferPool;
import io.memkit.pools.LeakDetection;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback Netty echo server and client (NIO, 16 connections, each sending a message and waiting
 * for its echo before sending the next), run with each allocator as {@code ChannelOption.ALLOCATOR}
 * on both sides: messages per second, heap bytes allocated per message by every thread, and the
 * direct memory the allocator holds at its peak and at the end.
 *
 * <p>Runs its own loop rather than the report's per-variant one: the work happens on Netty's event
 * loop threads, so heap bytes are counted over all threads (HotSpot's per-thread counters).
 */
public final class NettyEchoScenario implements Scenario {
    /** Connections per run. */
    public static final int CONNECTIONS = 16;
    private final int size;

    /**
     * The scenario for one message size.
     *
     * @param size bytes per message, at least 4
     */
    public NettyEchoScenario(int size) {
        if (size < 4) {
            throw new IllegalArgumentException("size must be at least 4: " + size);
        }
        this.size = size;
    }
    /** The extra holding messages per second, of the median run. */
    public static final String MESSAGES_PER_SECOND = "messagesPerSecond";
    /** The extra holding the most direct memory the allocator held during the runs. */
    public static final String PEAK_DIRECT = "peakDirectBytes";
    /** The extra holding the direct memory the allocator held after the last run. */
    public static final String END_DIRECT = "endDirectBytes";

    @Override
    public String id() {
        return size == 1024 ? "netty-echo" : "netty-echo-" + size / 1024 + "k";
    }

    @Override
    public String title() {
        return "Netty loopback echo, 16 connections, " + size / 1024 + " KiB messages";
    }

    @Override
    public String description() {
        return "A Netty NIO echo server and client over loopback, 16 connections, each sending a " + size / 1024 + " KiB message "
                + "and waiting for the echo, with each allocator set as ChannelOption.ALLOCATOR on both sides: Netty's "
                + "Unpooled, Pooled and Adaptive allocators vs memkit's MemkitByteBufAllocator. One op is one message echoed; "
                + "heap bytes are counted over every thread; time is wall time per message over the 16 connections.";
    }

    @Override
    public String unit() {
        return "message";
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        long t0 = System.nanoTime();
        boolean quick = context.settings().quick();
        int perConnection = quick ? 150 : 1500;
        int runs = quick ? 1 : 3;
        List<VariantResult> results = new ArrayList<>();
        results.add(measure(context, "Netty UnpooledByteBufAllocator", Role.NAIVE, Kind.UNPOOLED, size, perConnection, runs));
        results.add(measure(context, "Netty PooledByteBufAllocator", Role.PEER, Kind.POOLED, size, perConnection, runs));
        results.add(measure(context, "Netty AdaptiveByteBufAllocator", Role.PEER, Kind.ADAPTIVE, size, perConnection, runs));
        results.add(measure(context, "memkit MemkitByteBufAllocator", Role.MEMKIT, Kind.MEMKIT, size, perConnection, runs));
        String notes = "messages/s (median run), peak and end direct memory per row: "
                + describeExtras(results) + "\n";
        return new ScenarioResult(id(), title(), description(), unit(), bytesLabel(), results, notes, null,
                (System.nanoTime() - t0) / 1e9);
    }

    private static String describeExtras(List<VariantResult> results) {
        StringBuilder out = new StringBuilder();
        for (VariantResult r : results) {
            if (!r.ok()) {
                continue;
            }
            out.append("\n  ").append(r.name()).append(": ")
                    .append(String.format("%,.0f msg/s, peak direct %,.0f B, end %,.0f B",
                            r.extras().get(MESSAGES_PER_SECOND), r.extras().get(PEAK_DIRECT), r.extras().get(END_DIRECT)));
        }
        return out.toString();
    }

    /** The allocators compared. */
    enum Kind { UNPOOLED, POOLED, ADAPTIVE, MEMKIT }

    /** An allocator under test and how to read the direct memory it holds. */
    static final class Allocator implements AutoCloseable {
        final ByteBufAllocator alloc;
        final BufferPool pool;

        Allocator(Kind kind) {
            switch (kind) {
                case UNPOOLED: alloc = new UnpooledByteBufAllocator(true); pool = null; break;
                case POOLED: alloc = new PooledByteBufAllocator(true); pool = null; break;
                case ADAPTIVE: alloc = new AdaptiveByteBufAllocator(true); pool = null; break;
                default:
                    pool = BufferPool.builder().name("report-netty-echo").leakDetection(LeakDetection.SAMPLED).build();
                    alloc = new MemkitByteBufAllocator(pool);
            }
        }

        /** Direct memory held: memkit's reserved bytes (in use and idle); Netty's own counter otherwise. */
        long directHeld() {
            return pool != null ? pool.stats().bytesReserved() : ((ByteBufAllocatorMetricProvider) alloc).metric().usedDirectMemory();
        }

        long peak(long sampled) {
            return pool != null ? Math.max(sampled, pool.stats().peakBytesReserved()) : sampled;
        }

        /**
         * Whether the clients must sample the direct memory held to find its peak: not for memkit,
         * whose pool keeps its exact peak itself, so that memkit's row is not charged for a stats
         * snapshot (an object per call) on the event loop.
         */
        boolean needsSampling() {
            return pool == null;
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    private static VariantResult measure(ScenarioContext context, String name, Role role, Kind kind, int size,
            int perConnection, int runs) {
        context.progress(name + ": running");
        try (Allocator a = new Allocator(kind)) {
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            try {
                Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .option(ChannelOption.ALLOCATOR, a.alloc).childOption(ChannelOption.ALLOCATOR, a.alloc)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(ECHO);
                            }
                        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
                try {
                    InetSocketAddress address = (InetSocketAddress) server.localAddress();
                    long[] peak = {0};
                    round(group, a, address, size, Math.max(20, perConnection / 2), peak); // warm-up
                    long[] nanos = new long[runs];
                    long allocated = 0;
                    GcCounters gc0 = GcCounters.now();
                    for (int r = 0; r < runs; r++) {
                        long heap0 = allThreadsAllocated();
                        nanos[r] = round(group, a, address, size, perConnection, peak);
                        allocated += allThreadsAllocated() - heap0;
                    }
                    GcCounters gc1 = GcCounters.now();
                    long messages = (long) CONNECTIONS * perConnection;
                    Arrays.sort(nanos);
                    double nsPerMessage = nanos[runs / 2] / (double) messages;
                    Map<String, Double> extras = new LinkedHashMap<>();
                    extras.put(MESSAGES_PER_SECOND, 1e9 / nsPerMessage);
                    extras.put(PEAK_DIRECT, (double) a.peak(peak[0]));
                    long end = a.directHeld();
                    extras.put(END_DIRECT, (double) end);
                    return new VariantResult(name, role, allocated / (double) (messages * runs), nsPerMessage,
                            gc1.count() - gc0.count(), gc1.millis() - gc0.millis(), end, messages * runs, extras, null);
                } finally {
                    server.close().await(10, TimeUnit.SECONDS);
                }
            } finally {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(20, TimeUnit.SECONDS);
            }
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            context.progress(name + ": FAILED: " + ScenarioContext.describe(e));
            return VariantResult.failed(name, role, ScenarioContext.describe(e));
        }
    }

    private static final ChannelHandler ECHO = new Echo();

    /** Writes every buffer back; the write releases it. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Heap bytes allocated so far by every live thread. */
    private static long allThreadsAllocated() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, a);
        }
        return sum;
    }

    /** Connects 16 clients, each echoes {@code messages} messages of {@code size} bytes; returns the wall time. */
    private static long round(EventLoopGroup group, Allocator a, InetSocketAddress address, int size, int messages,
            long[] peak) throws Exception {
        CountDownLatch done = new CountDownLatch(CONNECTIONS);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong peakSeen = new AtomicLong(peak[0]);
        List<Channel> channels = new ArrayList<>();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, a.alloc).option(ChannelOption.TCP_NODELAY, true);
        List<Client> clients = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Client client = new Client(size, messages, done, failure, a, peakSeen);
            clients.add(client);
            channels.add(b.handler(client).connect(address).sync().channel());
        }
        long t0 = System.nanoTime();
        for (int c = 0; c < CONNECTIONS; c++) {
            Channel ch = channels.get(c);
            Client client = clients.get(c);
            ch.eventLoop().execute(() -> client.send(ch));
        }
        boolean finished = done.await(120, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - t0;
        for (Channel ch : channels) {
            ch.close().await(10, TimeUnit.SECONDS);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("echo failed: " + failure.get(), failure.get());
        }
        if (!finished) {
            throw new IllegalStateException("echo did not finish within 120 s");
        }
        peak[0] = peakSeen.get();
        return elapsed;
    }

    /** Sends a message, waits for all of its bytes, sends the next; samples the allocator's direct memory. */
    static final class Client extends ChannelInboundHandlerAdapter {
        private final int size;
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure;
        private final Allocator allocator;
        private final AtomicLong peak;
        private int left;
        private int pending;
        private int checksum;

        Client(int size, int messages, CountDownLatch done, AtomicReference<Throwable> failure, Allocator allocator,
                AtomicLong peak) {
            this.size = size;
            this.left = messages;
            this.done = done;
            this.failure = failure;
            this.allocator = allocator;
            this.peak = peak;
        }

        void send(Channel ch) {
            ByteBuf msg = ch.alloc().directBuffer(size);
            msg.writeInt(left);
            msg.writeZero(size - 4);
            pending = size;
            ch.writeAndFlush(msg);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object m) {
            ByteBuf in = (ByteBuf) m;
            try {
                checksum += in.getByte(in.readerIndex());
                pending -= in.readableBytes();
            } finally {
                in.release();
            }
            if (pending == 0) {
                if ((left & 15) == 0 && allocator.needsSampling()) {
                    peak.accumulateAndGet(allocator.directHeld(), Math::max);
                }
                if (--left == 0) {
                    done.countDown();
                } else {
                    send(ctx.channel());
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure.compareAndSet(null, cause);
            ctx.close();
            done.countDown();
        }

        @Override
        public String toString() {
            return "Client(" + checksum + ")";
        }
    }
}
