package io.switchboard.cluster.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import io.netty.util.internal.PlatformDependent;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.common.log.LogWindow;
import io.switchboard.common.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One established cluster link: a channel whose peer has authenticated. From any other thread a send is queued, and
 * one task on the link's event loop writes everything queued and flushes once, so the requests and answers of many
 * sessions and threads share a task and a syscall instead of taking one each. Thread-safe; envelopes are plain
 * objects, so a dropped one leaks nothing. An envelope too large for a frame is refused at the send, alone.
 */
public final class Link {
    private static final Logger log = LoggerFactory.getLogger(Link.class);
    /** Whoever makes a handler answer or push that much could otherwise fill the log. */
    private static final LogWindow TOO_LARGE_LOG = new LogWindow(Ticker.system(), Duration.ofSeconds(10));
    private final Channel channel;
    private final int peerNodeId;
    private final String peerType;
    private final Queue<Object> outbox = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    /** An envelope whose sender waits on how its write went. */
    private record Tracked(Envelope envelope, ChannelPromise promise) {
    }

    Link(Channel channel, int peerNodeId, String peerType) {
        this.channel = channel;
        this.peerNodeId = peerNodeId;
        this.peerType = peerType;
    }

    public int peerNodeId() {
        return peerNodeId;
    }

    public String peerType() {
        return peerType;
    }

    public boolean isActive() {
        return channel.isActive();
    }

    /**
     * Whether the open link holds more unsent bytes than its high water mark (until they drain below the low one):
     * more written now would only queue. A closed link is not saturated; writes to it fail at once.
     */
    public boolean isSaturated() {
        return channel.isActive() && !channel.isWritable();
    }

    /**
     * Queues the envelope behind earlier sends (its hop timestamp is added as it is encoded); a link that is down
     * drops it. False when it was refused at once: too large for a frame, or the link closed already. True is no
     * promise of delivery, but a link that fails to write it after that closes, and its closing reaches the link's
     * owner: so a sender that keeps state for the envelope (a pending request) learns of every failure, the first
     * kind here and the second from the link's end, without a promise per envelope.
     */
    public boolean send(Envelope envelope) {
        if (!Envelopes.fitsInFrame(envelope)) {
            tooLarge(envelope);
            return false;
        }
        if (!channel.isActive()) {
            return false;
        }
        if (idleOnItsLoop()) {
            channel.writeAndFlush(envelope, channel.voidPromise());
        } else {
            enqueue(envelope);
        }
        return channel.isActive();
    }

    /** As {@link #send}, for a sender that must know: the future fails when the link is down. */
    public ChannelFuture sendTracked(Envelope envelope) {
        if (!Envelopes.fitsInFrame(envelope)) {
            return channel.newFailedFuture(tooLarge(envelope));
        }
        if (idleOnItsLoop()) {
            return channel.writeAndFlush(envelope);
        }
        ChannelPromise promise = channel.newPromise();
        enqueue(new Tracked(envelope, promise));
        return promise;
    }

    /** As {@link #sendTracked}, as a future of the API's kind. */
    public CompletableFuture<Void> sendConfirmed(Envelope envelope) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        sendTracked(envelope).addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    /**
     * Refuses an envelope the frame encoder would refuse: caught here, it fails alone; in the encoder, a send without
     * a promise would close the link and fail every request on it.
     */
    private EncoderException tooLarge(Envelope envelope) {
        EncoderException refused = new EncoderException(Envelopes.kind(envelope) + " envelope of "
                + envelope.getSerializedSize() + " bytes is larger than a link frame carries ("
                + Envelopes.MAX_SERIALIZED_SIZE + ")");
        long heldBack = TOO_LARGE_LOG.admit();
        if (heldBack >= 0) {
            log.warn("{} to {}: {}; not sent{}", envelope.getRoute(), this, refused.getMessage(),
                    LogWindow.heldBackNote(heldBack));
        }
        return refused;
    }

    /** On the link's own loop with nothing queued, a send goes out at once: there is no hop to save. */
    private boolean idleOnItsLoop() {
        return channel.eventLoop().inEventLoop() && !drainScheduled.get() && outbox.isEmpty();
    }

    private void enqueue(Object message) {
        outbox.add(message);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drain);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
                fail(new ClosedChannelException());
            }
        }
    }

    /** Writes what is queued and flushes once, on the link's event loop. */
    private void drain() {
        drainScheduled.set(false);
        if (!channel.isActive()) {
            fail(new ClosedChannelException());
            return;
        }
        Object next;
        while ((next = outbox.poll()) != null) {
            if (next instanceof Tracked tracked) {
                channel.write(tracked.envelope(), tracked.promise());
            } else {
                channel.write(next, channel.voidPromise());
            }
        }
        channel.flush();
    }

    private void fail(Throwable cause) {
        Object next;
        while ((next = outbox.poll()) != null) {
            if (next instanceof Tracked tracked) {
                tracked.promise().tryFailure(cause);
            }
        }
    }

    /** Closes the link, counted as {@code reason}. */
    public void close(LinkCloseReason reason) {
        LinkClose.close(channel, reason);
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "Link(" + peerType + "#" + peerNodeId + ", " + channel.remoteAddress() + ")";
    }
}
