package io.memkit.pools.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * One region of native memory for a slab, and the way it goes back to the operating system.
 *
 * <p>Three sources, chosen once per JVM by {@link #SOURCE}:
 * <ul>
 *   <li>{@code mapped} (JDK 22+, the default there): a private mapping of a sparse, already
 *       deleted temporary file, owned by its own shared {@code Arena}. Written pages are
 *       anonymous copy-on-write pages, and {@link #free()} unmaps them at once, so the process's
 *       resident memory falls without a GC. Arenas over {@code malloc} (the {@code arena} source)
 *       free at once too, but the C allocator keeps freed chunks below its mmap threshold, and it
 *       raises that threshold after the first large free, so resident memory often stays up.</li>
 *   <li>{@code arena} (JDK 22+): {@code Arena.ofShared().allocate(bytes)}; used where no
 *       temporary file can be made.</li>
 *   <li>{@code direct} (JDK 17 to 21, or on request): {@code ByteBuffer.allocateDirect}; freed only
 *       when a later GC finds the buffer unreachable, so {@link #free()} just drops it.</li>
 * </ul>
 * The system property {@value #PROPERTY} ({@code auto}, {@code mapped}, {@code arena} or
 * {@code direct}) overrides the choice; a source this JVM cannot provide falls back to the next.
 *
 * <p>The FFM sources are reached through method handles, so this class compiles for Java 17 and
 * runs there with the {@code direct} source. Memory of the FFM sources is not counted in the JDK's
 * {@code BufferPoolMXBean} "direct" pool nor limited by {@code -XX:MaxDirectMemorySize} (the
 * {@code mapped} source shows in the "mapped" pool): the pool's own cap and counters are exact
 * for every source. After {@link #free()}, any access through a view of an FFM region throws
 * {@link IllegalStateException} ("Already closed") instead of reading freed memory.
 *
 * <p>Closing a shared arena is a handshake with every thread of the JVM (tens to hundreds of
 * microseconds): call {@link #free()} only off the acquire and release paths. Not thread-safe:
 * one owner allocates and frees a region, once.
 */
public final class SlabMemory {

    /** System property that picks the source: auto, mapped, arena or direct. */
    public static final String PROPERTY = "io.memkit.pool.memory";

    /** The source this JVM uses: "mapped", "arena" or "direct". */
    public static final String SOURCE;

    // Method handles into java.lang.foreign (JDK 22+); null where the source is "direct".
    private static final MethodHandle OF_SHARED;      // () -> Arena
    private static final MethodHandle CLOSE;          // (Arena) -> void
    private static final MethodHandle ALLOCATE;       // (Arena, long, long) -> MemorySegment
    private static final MethodHandle MAP;            // (FileChannel, MapMode, long, long, Arena) -> MemorySegment
    private static final MethodHandle AS_BYTE_BUFFER; // (MemorySegment) -> ByteBuffer
    /** The sparse file that mapped regions are private copies of; null unless the source is "mapped". */
    private static final FileChannel FILE;
    /** Largest region: a ByteBuffer's capacity is an int. */
    private static final long FILE_SIZE = Integer.MAX_VALUE;

    static {
        String wanted = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (!wanted.equals("auto") && !wanted.equals("mapped") && !wanted.equals("arena") && !wanted.equals("direct")) {
            throw new IllegalArgumentException("system property " + PROPERTY
                    + " must be auto, mapped, arena or direct: '" + System.getProperty(PROPERTY) + "'");
        }
        MethodHandle ofShared = null;
        MethodHandle close = null;
        MethodHandle allocate = null;
        MethodHandle map = null;
        MethodHandle asByteBuffer = null;
        FileChannel file = null;
        String source = "direct";
        if (!wanted.equals("direct") && Runtime.version().feature() >= 22) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                ofShared = lookup.findStatic(arena, "ofShared", MethodType.methodType(arena));
                close = lookup.findVirtual(arena, "close", MethodType.methodType(void.class));
                allocate = lookup.findVirtual(arena, "allocate",
                        MethodType.methodType(segment, long.class, long.class));
                map = lookup.findVirtual(FileChannel.class, "map", MethodType.methodType(segment,
                        FileChannel.MapMode.class, long.class, long.class, arena));
                asByteBuffer = lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class));
                source = "arena";
                if (!wanted.equals("arena")) {
                    file = sparseFile();
                    if (file != null) {
                        source = "mapped";
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                source = "direct";
            }
        }
        OF_SHARED = ofShared;
        CLOSE = close;
        ALLOCATE = allocate;
        MAP = map;
        AS_BYTE_BUFFER = asByteBuffer;
        FILE = file;
        SOURCE = source;
    }

    private final ByteBuffer buffer;
    /** The arena that owns the region, or null for the direct source. */
    private final Object arena;
    private boolean freed;

    private SlabMemory(ByteBuffer buffer, Object arena) {
        this.buffer = buffer;
        this.arena = arena;
    }

    /**
     * Allocates a region of {@code bytes} bytes from {@link #SOURCE}. Its content is
     * unspecified (zero in practice).
     *
     * @param bytes the size, at least 0 (an empty region holds no native memory)
     * @return the region
     * @throws IllegalArgumentException if {@code bytes < 0}
     * @throws OutOfMemoryError         if the source has no memory left (for {@code direct}: the JDK's
     *                                  {@code MaxDirectMemorySize} was reached)
     */
    public static SlabMemory allocate(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        if (OF_SHARED == null || bytes == 0) {
            return new SlabMemory(ByteBuffer.allocateDirect(bytes), null);
        }
        Object arena;
        try {
            arena = OF_SHARED.invoke();
        } catch (Throwable t) {
            throw new IllegalStateException("cannot make an arena for a slab of " + bytes + " bytes", t);
        }
        try {
            Object segment = FILE != null
                    ? MAP.invoke(FILE, FileChannel.MapMode.PRIVATE, 0L, (long) bytes, arena)
                    : ALLOCATE.invoke(arena, (long) bytes, 4096L);
            return new SlabMemory((ByteBuffer) AS_BYTE_BUFFER.invoke(segment), arena);
        } catch (Throwable t) {
            closeQuietly(arena);
            if (t instanceof OutOfMemoryError) {
                throw (OutOfMemoryError) t;
            }
            OutOfMemoryError oom = new OutOfMemoryError("cannot get " + bytes + " bytes of native memory from the "
                    + SOURCE + " source: " + t);
            oom.initCause(t);
            throw oom;
        }
    }

    /**
     * The region as a direct buffer: position 0, limit and capacity the size asked for.
     *
     * @return the buffer; the same object on every call
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Whether {@link #free()} returns the memory to the operating system at once.
     *
     * @return true for the FFM sources, false for {@code direct}
     */
    public boolean freesAtOnce() {
        return arena != null;
    }

    /**
     * Gives the memory back: at once for the FFM sources (every view then throws on access), at
     * the next GC that finds the buffer unreachable for {@code direct}. A handshake with every
     * thread for the FFM sources: never call it on a hot path.
     *
     * @throws IllegalStateException if the region was already freed
     */
    public void free() {
        if (freed) {
            throw new IllegalStateException("slab memory of " + buffer.capacity() + " bytes already freed");
        }
        freed = true;
        if (arena != null) {
            try {
                CLOSE.invoke(arena);
            } catch (Throwable t) {
                throw new IllegalStateException("cannot free a slab of " + buffer.capacity() + " bytes", t);
            }
        }
    }

    private static void closeQuietly(Object arena) {
        try {
            CLOSE.invoke(arena);
        } catch (Throwable ignored) {
            // The allocation failed; the arena holds nothing to give back.
        }
    }

    /** A deleted, sparse temporary file of FILE_SIZE bytes, or null where none can be made. */
    private static FileChannel sparseFile() {
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            Path path = Files.createTempFile(dir, "memkit-slabs", ".bin");
            // DELETE_ON_CLOSE unlinks the file at open on Unix, so nothing is left behind even if
            // the JVM dies; elsewhere the file goes when the channel closes at exit.
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            try {
                // One byte at the end makes the file FILE_SIZE long without using disk for the rest.
                ch.write(ByteBuffer.wrap(new byte[1]), FILE_SIZE - 1);
                return ch;
            } catch (Exception e) {
                ch.close();
                return null;
            }
        } catch (Exception e) {
            return null;
        }
    }
}
