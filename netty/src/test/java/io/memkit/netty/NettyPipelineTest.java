package io.memkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.memkit.pools.BufferPool;
import io.memkit.pools.BufferPoolStats;
import io.memkit.pools.LeakDetection;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ResourceLeakDetector;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** memkit's allocator under real Netty pipelines: a loopback NIO echo, and a frame decoder that retains slices. */
class NettyPipelineTest {

    private static BufferPool paranoidPool(String name, List<Object> leaks) {
        return BufferPool.builder().name(name).maxBytes(32 << 20).leakDetection(LeakDetection.PARANOID)
                .leakListener(leaks::add).build();
    }

    /** Echoes every buffer back; the outbound write releases it. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Sends a payload, collects the echo into a copy and completes once all of it came back. */
    private static final class Client extends ChannelInboundHandlerAdapter {
        final byte[] payload;
        final byte[] received;
        int got;
        final CompletableFuture<byte[]> done = new CompletableFuture<>();

        Client(byte[] payload) {
            this.payload = payload;
            this.received = new byte[payload.length];
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            int chunk = 1 + payload.length / 50;
            for (int i = 0; i < payload.length; i += chunk) {
                int n = Math.min(chunk, payload.length - i);
                ByteBuf b = ctx.alloc().directBuffer(n);
                b.writeBytes(payload, i, n);
                ctx.write(b);
            }
            ctx.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                int n = b.readableBytes();
                b.readBytes(received, got, n);
                got += n;
                if (got == received.length) {
                    done.complete(received);
                }
            } finally {
                b.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }

    @Test
    void loopbackEchoOverSeveralConnectionsKeepsEveryByteAndBalancesThePool() throws Exception {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        List<Object> leaks = new ArrayList<>();
        BufferPool pool = paranoidPool("echo", leaks);
        MemkitByteBufAllocator alloc = new MemkitByteBufAllocator(pool);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            AtomicReference<Throwable> serverFailure = new AtomicReference<>();
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOCATOR, alloc)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new Echo(), new ChannelInboundHandlerAdapter() {
                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    serverFailure.compareAndSet(null, cause);
                                }
                            });
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            InetSocketAddress address = (InetSocketAddress) server.localAddress();
            Random random = new Random(13);
            List<Client> clients = new ArrayList<>();
            List<Channel> channels = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                byte[] payload = new byte[20_000 + random.nextInt(300_000)];
                random.nextBytes(payload);
                Client client = new Client(payload);
                clients.add(client);
                channels.add(new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.ALLOCATOR, alloc).handler(client)
                        .connect(address).sync().channel());
            }
            for (Client client : clients) {
                assertThat(client.done.get(30, TimeUnit.SECONDS)).isEqualTo(client.payload);
            }
            for (Channel ch : channels) {
                assertThat(ch.close().await(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(server.close().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(serverFailure.get()).isNull();
        } finally {
            assertThat(group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(20, TimeUnit.SECONDS)).isTrue();
            ResourceLeakDetector.setLevel(level);
        }
        BufferPoolStats s = pool.stats();
        assertThat(s.acquires()).as("leases taken").isGreaterThan(12);
        assertThat(s.liveLeases()).as("live leases").isZero();
        assertThat(s.bytesInUse()).isZero();
        assertThat(s.acquires()).isEqualTo(s.releases());
        assertThat(s.doubleReleases()).isZero();
        assertThat(s.leaksDetected()).isZero();
        assertThat(leaks).isEmpty();
        assertThat(alloc.metric().usedDirectMemory()).isZero();
        pool.close();
    }

    @Test
    void lengthFieldDecoderRetainsSlicesOfMemkitBuffers() {
        List<Object> leaks = new ArrayList<>();
        BufferPool pool = paranoidPool("frames", leaks);
        MemkitByteBufAllocator alloc = new MemkitByteBufAllocator(pool);
        List<ByteBuf> frames = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 16, 0, 2, 0, 2));
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                frames.add((ByteBuf) msg); // kept past the read: the frame is a retained slice
            }
        });
        // 40 frames of 1..300 bytes, cut into chunks that split frames and length fields.
        ByteBuf wire = alloc.heapBuffer();
        List<String> sent = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            String body = "frame-" + i + "-" + "x".repeat(random.nextInt(300));
            sent.add(body);
            wire.writeShort(body.length()).writeCharSequence(body, java.nio.charset.StandardCharsets.US_ASCII);
        }
        while (wire.isReadable()) {
            int n = Math.min(wire.readableBytes(), 1 + random.nextInt(97));
            ByteBuf chunk = alloc.directBuffer(n);
            wire.readBytes(chunk, n);
            ch.writeInbound(chunk);
        }
        wire.release();
        assertThat(frames).hasSize(40);
        for (int i = 0; i < 40; i++) {
            ByteBuf f = frames.get(i);
            assertThat(f.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(sent.get(i));
            assertThat(f.alloc()).isSameAs(alloc);
        }
        assertThat(alloc.metric().usedDirectMemory()).as("frames keep their memory").isPositive();
        frames.forEach(ByteBuf::release);
        assertThat(ch.finish()).isFalse();
        BufferPoolStats s = pool.stats();
        assertThat(s.liveLeases()).isZero();
        assertThat(s.acquires()).isEqualTo(s.releases());
        assertThat(s.leaksDetected()).isZero();
        assertThat(alloc.metric().usedDirectMemory()).isZero();
        pool.close();
    }

    /**
     * A server whose handler holds every buffer it reads exhausts a small pool: the read loop catches
     * the pool's exception and fires it through exceptionCaught, the connection stays open, and once
     * the handler lets its buffers go, reading resumes and every byte arrives.
     */
    @Test
    void exhaustionReachesExceptionCaughtAndTheConnectionRecovers() throws Exception {
        BufferPool small = BufferPool.builder().name("exhaust").maxBytes(256 * 1024).build();
        MemkitByteBufAllocator alloc = new MemkitByteBufAllocator(small);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CompletableFuture<Throwable> caught = new CompletableFuture<>();
        CompletableFuture<Long> all = new CompletableFuture<>();
        long total = 4L << 20;
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOCATOR, alloc)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        final List<ByteBuf> held = new ArrayList<>();
                        long received;

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf b = (ByteBuf) msg;
                            received += b.readableBytes();
                            if (caught.isDone()) {
                                b.release();
                            } else {
                                held.add(b); // holds pooled memory until the pool runs out
                            }
                            if (received == total) {
                                all.complete(received);
                            }
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            caught.complete(cause);
                            held.forEach(ByteBuf::release);
                            held.clear();
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(server.localAddress()).sync().channel();
            for (long sent = 0; sent < total; sent += 64 * 1024) {
                client.write(io.netty.buffer.Unpooled.wrappedBuffer(new byte[64 * 1024]));
            }
            client.flush();
            assertThat(caught.get(30, TimeUnit.SECONDS)).isInstanceOf(io.memkit.pools.PoolExhaustedException.class)
                    .hasMessageContaining("exhaust");
            assertThat(all.get(30, TimeUnit.SECONDS)).isEqualTo(total);
            assertThat(client.isActive()).as("connection kept open").isTrue();
            client.close().await(10, TimeUnit.SECONDS);
            server.close().await(10, TimeUnit.SECONDS);
        } finally {
            assertThat(group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(small.stats().liveLeases()).isZero();
        assertThat(small.stats().exhausted()).isPositive();
        assertThat(alloc.metric().usedDirectMemory()).isZero();
        small.close();
    }
}
