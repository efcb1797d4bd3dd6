package io.switchboard.gate.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.CompletableFuture;

/**
 * What waits in a session's outbox: a message as it is, or, for a writer that wants to know how its write went, a
 * {@link Tracked} one. Either way the outbox owns the message until it is written or discarded.
 */
final class OutboxEntry {
    private OutboxEntry() {
    }

    /** A message whose writer waits on how its write went. */
    record Tracked(Object message, CompletableFuture<Void> future) {
        /** Completes the writer's future as the write went. */
        ChannelFutureListener listener() {
            return f -> {
                if (f.isSuccess()) {
                    future.complete(null);
                } else {
                    future.completeExceptionally(f.cause());
                }
            };
        }
    }

    /** The message of an entry. */
    static Object message(Object entry) {
        return entry instanceof Tracked tracked ? tracked.message() : entry;
    }

    /** Releases an entry that will not be written; a tracked one's writer learns why. */
    static void discard(Object entry, Throwable cause) {
        if (entry instanceof Tracked tracked) {
            ReferenceCountUtil.release(tracked.message());
            tracked.future().completeExceptionally(cause);
        } else {
            ReferenceCountUtil.release(entry);
        }
    }
}
