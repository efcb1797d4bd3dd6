package io.switchboard.cluster.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import io.netty.util.concurrent.PromiseNotifier;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes outbound envelopes as {@link EnvelopeEncoder} does, but writes the small frames between two flushes into one
 * buffer: one allocation, one entry in the channel's outbound buffer and one piece of a {@code writev} per flush, not
 * per envelope. A link flushes once per batch of sends (and once per read burst behind a flush consolidation placed
 * after this handler), so that is where a link's small frames gather. The buffer is handed on at the flush, before any
 * other message (a large envelope's frame, raw bytes), and once it holds {@link #BATCH_BYTES}, so at most that much is
 * held back from the channel's write-buffer accounting. The write promises of a batch complete when its buffer is
 * written. One instance per channel.
 */
public final class EnvelopeBatchEncoder extends ChannelOutboundHandlerAdapter {
    /** A batch is handed on once it holds this many bytes, without waiting for the flush. */
    public static final int BATCH_BYTES = 64 * 1024;

    private final EnvelopeEncoder format;
    private ByteBuf batch;
    /** How many bytes the last batch held: the next one starts at that size, and grows if it needs to. */
    private int lastBatchBytes;
    /** The promises of the envelopes in the batch that are not the channel's void promise. */
    private final List<ChannelPromise> promises = new ArrayList<>();

    /** @param format the header fields and hop clock of bare envelopes */
    public EnvelopeBatchEncoder(EnvelopeEncoder format) {
        this.format = format;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!format.acceptOutboundMessage(msg)) {
            handOn(ctx);
            ctx.write(msg, promise);
            return;
        }
        EnvelopeEncoder.Outgoing outgoing;
        try {
            outgoing = format.outgoing(msg);
            if (!outgoing.small()) {
                handOn(ctx);
                ctx.write(outgoing.largeFrame(ctx.alloc()), promise);
                return;
            }
            if (batch != null && batch.readableBytes() + outgoing.frameLength() > BATCH_BYTES) {
                handOn(ctx);
            }
            if (batch == null) {
                batch = ctx.alloc().ioBuffer(Math.max(lastBatchBytes, outgoing.frameLength()));
            }
            outgoing.writeFrame(batch);
        } catch (Throwable t) {
            // As MessageToMessageEncoder: this write fails alone (a void promise fires it down the pipeline).
            promise.tryFailure(t instanceof EncoderException ? t : new EncoderException(t));
            return;
        }
        if (!promise.isVoid()) {
            promises.add(promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        handOn(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        // Not flushed before the close: failed, as the channel fails writes it never flushed.
        discard(new ClosedChannelException());
        super.close(ctx, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discard(new ClosedChannelException());
    }

    /** Writes the batch on, its promises completed with its write. */
    private void handOn(ChannelHandlerContext ctx) {
        ByteBuf frames = batch;
        if (frames == null) {
            return;
        }
        batch = null;
        lastBatchBytes = frames.readableBytes();
        if (promises.isEmpty()) {
            ctx.write(frames, ctx.voidPromise());
            return;
        }
        ChannelPromise written = ctx.newPromise();
        written.addListener(new PromiseNotifier<>(false, promises.toArray(new ChannelPromise[0])));
        promises.clear();
        ctx.write(frames, written);
    }

    private void discard(Throwable cause) {
        if (batch != null) {
            batch.release();
            batch = null;
        }
        for (ChannelPromise promise : promises) {
            promise.tryFailure(cause);
        }
        promises.clear();
    }
}
