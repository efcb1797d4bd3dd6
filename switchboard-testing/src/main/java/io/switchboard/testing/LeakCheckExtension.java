package io.switchboard.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test class when Netty reports a leaked buffer. Registered for every test class through JUnit's
 * extension auto-detection (switched on in the parent POM's Surefire configuration).
 *
 * <p>Netty finds leaks only when a collected buffer's phantom reference is polled, which happens on the
 * next allocation; so after the class runs we collect garbage and allocate a few buffers to make the
 * detector look.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    private static final int ROUNDS = 5;

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakRecorder.install();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            System.gc();
            System.runFinalization();
            // The reference handler thread enqueues collected references shortly after a GC.
            Thread.sleep(20);
            poke(PooledByteBufAllocator.DEFAULT);
            poke(UnpooledByteBufAllocator.DEFAULT);
            poke(ByteBufAllocator.DEFAULT);
        }
        List<String> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty buffer leak(s) detected in or before "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }

    private static void poke(ByteBufAllocator allocator) {
        ByteBuf heap = allocator.heapBuffer(1);
        heap.release();
        ByteBuf direct = allocator.directBuffer(1);
        direct.release();
    }
}
