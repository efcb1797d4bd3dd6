package io.switchboard.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Feeds untrusted bytes to an {@link EmbeddedChannel} the way a socket would: in chunks of varying size, heap
 * and direct, as long as the pipeline keeps the channel open. Every message the pipeline emits, inbound (what
 * reached the end of the pipeline) or outbound (what it would send), is shown to a check and then released, so
 * a fuzz test holds nothing from one input to the next.
 * Every exception that comes out of the pipeline is remembered on the channel ({@link #failures}), not just the
 * first one EmbeddedChannel would rethrow.
 */
public final class ChunkedInput {
    /** The largest chunk drawn; small enough that headers and frames get split, large enough to join them. */
    private static final int MAX_CHUNK = 64;
    private static final AttributeKey<List<Throwable>> FAILURES = AttributeKey.valueOf("switchboard.fuzz.failures");

    private ChunkedInput() {
    }

    /**
     * An open EmbeddedChannel that allocates from {@code alloc}, with {@code handlers} in its pipeline and, last,
     * a handler that does what a server's last handler does with an exception: remember it and close.
     */
    public static EmbeddedChannel channel(ByteBufAllocator alloc, ChannelHandler... handlers) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(handlers);
        ch.pipeline().addLast("fuzz-failures", new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                failures(ctx.channel()).add(cause);
                ctx.close();
            }
        });
        return ch;
    }

    /**
     * Writes {@code data}, from index {@code from} on, to the channel's inbound side. With {@code chunkSeed} 0
     * it goes in one write; otherwise the seed draws the chunk sizes and whether each chunk is a heap or a direct
     * buffer (allocated from the channel's allocator, so a {@link TrackingAllocator} sees them). Writing stops
     * when the channel closes. An exception that reaches the end of the pipeline is added to {@link #failures}.
     *
     * @param inbound  sees every inbound message before it is released; may throw to fail the test
     * @param outbound sees every outbound message before it is released; may throw to fail the test
     */
    public static void write(EmbeddedChannel ch, byte[] data, int from, long chunkSeed, Consumer<Object> inbound,
                             Consumer<Object> outbound) {
        SplittableRandom random = new SplittableRandom(chunkSeed);
        int maxChunk = chunkSeed == 0 ? Integer.MAX_VALUE : 1 + random.nextInt(MAX_CHUNK);
        ByteBufAllocator alloc = ch.alloc();
        int offset = from;
        while (offset < data.length && ch.isOpen()) {
            int length = Math.min(data.length - offset,
                    maxChunk == Integer.MAX_VALUE ? data.length : 1 + random.nextInt(maxChunk));
            ByteBuf chunk = chunkSeed != 0 && random.nextBoolean()
                    ? alloc.directBuffer(length) : alloc.heapBuffer(length);
            chunk.writeBytes(data, offset, length);
            offset += length;
            try {
                ch.writeInbound(chunk);
            } catch (Throwable t) {
                failures(ch).add(t);
            }
            drain(ch, inbound, outbound);
            if (alloc instanceof TrackingAllocator tracking) {
                tracking.sample();
            }
        }
    }

    /**
     * Closes the channel as a disconnect would (running every handler's end-of-input path), shows and releases
     * what that emits, and releases anything left. An exception the close brings out is added to {@link #failures}.
     */
    public static void finish(EmbeddedChannel ch, Consumer<Object> inbound, Consumer<Object> outbound) {
        try {
            ch.close();
            ch.runPendingTasks();
            ch.checkException();
        } catch (Throwable t) {
            failures(ch).add(t);
        }
        try {
            drain(ch, inbound, outbound);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Shows every queued inbound and outbound message to its check and releases it. */
    public static void drain(EmbeddedChannel ch, Consumer<Object> inbound, Consumer<Object> outbound) {
        Object msg;
        while ((msg = ch.readInbound()) != null) {
            show(msg, inbound);
        }
        while ((msg = ch.readOutbound()) != null) {
            show(msg, outbound);
        }
    }

    /** A check for a side of the pipeline where nothing may come out. */
    public static Consumer<Object> nothing(String side) {
        return msg -> {
            throw new AssertionError("unexpected " + side + " message " + msg);
        };
    }

    private static void show(Object msg, Consumer<Object> check) {
        try {
            check.accept(msg);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The exceptions that came out of the channel's pipeline so far, in order; a live list. */
    public static List<Throwable> failures(Channel ch) {
        List<Throwable> failures = ch.attr(FAILURES).get();
        if (failures == null) {
            failures = new ArrayList<>();
            ch.attr(FAILURES).set(failures);
        }
        return failures;
    }

    /**
     * Fails, with the first offender as the cause, unless every exception that came out of the channel's pipeline
     * is one of the {@code allowed} types, thrown as it is or as the cause of Netty's {@link DecoderException}.
     * With no types, fails on any exception. The fuzzer reports the failure as a finding.
     */
    @SafeVarargs
    public static void allowOnly(Channel ch, Class<? extends Throwable>... allowed) {
        for (Throwable failure : failures(ch)) {
            Throwable t = failure instanceof DecoderException && failure.getCause() != null
                    && !isAny(failure, allowed) ? failure.getCause() : failure;
            if (!isAny(t, allowed)) {
                throw new AssertionError("unexpected " + failure + " out of the pipeline", failure);
            }
        }
    }

    @SafeVarargs
    private static boolean isAny(Throwable t, Class<? extends Throwable>... types) {
        for (Class<? extends Throwable> type : types) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
