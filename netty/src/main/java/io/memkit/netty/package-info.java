/**
 * Netty integration: {@link io.memkit.netty.MemkitByteBufAllocator} serves Netty's direct
 * {@code ByteBuf}s from a memkit {@link io.memkit.pools.BufferPool}, so that one line
 * ({@code bootstrap.option(ChannelOption.ALLOCATOR, MemkitByteBufAllocator.DEFAULT)}) moves a
 * Netty application onto pooled, bounded memory whose stale use always throws.
 */
package io.memkit.netty;
