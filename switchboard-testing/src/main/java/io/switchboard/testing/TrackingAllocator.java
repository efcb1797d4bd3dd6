package io.switchboard.testing;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * An unpooled allocator that remembers every buffer it hands out, so a fuzz test can tell, input by input, that
 * the pipeline released everything it allocated ({@link #assertAllReleased()}) and how much memory it held at
 * once ({@link #peakLiveBytes()}). Netty's paranoid leak detector still watches these buffers too, but it reports
 * only after a GC, at the end of a test class; this allocator pins a leak to the input that caused it.
 *
 * <p>Derived buffers (slices, duplicates) share their parent's reference count, so tracking the parents is
 * enough. Not thread-safe: one per {@code EmbeddedChannel}.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();
    private long peakLiveBytes;

    /** @param preferDirect whether {@code buffer()} and {@code ioBuffer()} return direct buffers */
    public TrackingAllocator(boolean preferDirect) {
        super(preferDirect);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return track(super.compositeHeapBuffer(maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return track(super.compositeDirectBuffer(maxNumComponents));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private <T extends ByteBuf> T track(T buf) {
        sample();
        allocated.add(buf);
        return buf;
    }

    /**
     * Adds up the capacity of the buffers still held and updates the peak. Called on every allocation; call it
     * also after each write, since a buffer can grow without asking the allocator.
     */
    public long sample() {
        long live = liveBytes();
        peakLiveBytes = Math.max(peakLiveBytes, live);
        return live;
    }

    /** The capacity of the buffers allocated here and not yet released (composites count their own components). */
    public long liveBytes() {
        long live = 0;
        for (ByteBuf buf : allocated) {
            if (buf.refCnt() > 0 && !(buf instanceof CompositeByteBuf)) {
                live += buf.capacity();
            }
        }
        return live;
    }

    /** The most {@link #liveBytes()} seen at an allocation or a {@link #sample()}. */
    public long peakLiveBytes() {
        return Math.max(peakLiveBytes, liveBytes());
    }

    public int allocations() {
        return allocated.size();
    }

    /** Throws an {@link AssertionError} naming every buffer allocated here that is still referenced. */
    public void assertAllReleased() {
        List<String> held = new ArrayList<>();
        for (ByteBuf buf : allocated) {
            if (buf.refCnt() > 0) {
                held.add(buf + " refCnt=" + buf.refCnt());
            }
        }
        if (!held.isEmpty()) {
            throw new AssertionError(held.size() + " of " + allocated.size() + " buffers never released: " + held);
        }
    }
}
