package io.switchboard.resource.internal;

import io.netty.channel.ChannelHandlerContext;

/** One parked blocking query: the request's channel, its view, the index it has seen, and when its wait ends. */
final class Watch {
    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    private final ApiQuery query;
    private final long after;
    private final long deadline;
    private final long sequence;
    private boolean answered;

    Watch(ChannelHandlerContext ctx, boolean keepAlive, ApiQuery query, long after, long deadline, long sequence) {
        this.ctx = ctx;
        this.keepAlive = keepAlive;
        this.query = query;
        this.after = after;
        this.deadline = deadline;
        this.sequence = sequence;
    }

    long deadline() {
        return deadline;
    }

    long sequence() {
        return sequence;
    }

    /** Whether the view moved past the index the client has. */
    boolean ready() {
        return query.index() > after;
    }

    /** Sends the view as it is now: changed, or unchanged at the end of the wait. */
    void answer() {
        answered = true;
        ApiResponses.send(ctx, keepAlive, query);
    }

    /** Whether it still waits for its answer. */
    boolean waiting() {
        return !answered;
    }
}
