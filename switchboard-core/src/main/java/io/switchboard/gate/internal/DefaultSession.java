package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.AttributeKey;
import io.switchboard.api.OnlineUsers;
import io.switchboard.api.SessionAttributes;
import io.switchboard.api.spi.SessionBinding;
import io.switchboard.gate.CloseListeners;
import io.switchboard.gate.GateSession;
import io.switchboard.api.FanOut;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.api.Session;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.serialization.Serializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/** The gate's {@link Session}: a channel plus what the handshake and the handlers attached to it. */
public final class DefaultSession implements GateSession, SessionBinding {
    public static final AttributeKey<DefaultSession> KEY = AttributeKey.valueOf("switchboard.session");

    private final long id;
    private final Channel channel;
    /** The handshake as the client sent it; kept as bytes because a parsed JSON tree costs far more. */
    private final byte[] handshakeJson;
    private final HandshakeInfo.Transport transport;
    private final Serializer serializer;
    private final GateMetrics metrics;
    private final RouteDictionary dictionary;
    private final boolean compressBody;
    // Made on first use: most sessions never need them, and idle connections are counted in the hundred thousands.
    private volatile SessionAttributes attributes;
    private final AtomicReference<OnlineUsers> users;
    private final CloseListeners closeListeners = new CloseListeners();
    private volatile String userId;
    /**
     * Messages written from handler threads wait here and go out in one event-loop task with one flush, so
     * a burst of responses and pushes costs one task and one syscall instead of one each.
     */
    private final Queue<Object> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    /** A message that wants to know how its write went. */
    private record Tracked(Object message, ChannelPromise promise) {
    }

    DefaultSession(long id, Channel channel, byte[] handshakeJson, HandshakeInfo.Transport transport,
                   Serializer serializer, GateMetrics metrics, RouteDictionary dictionary, boolean compressBody,
                   AtomicReference<OnlineUsers> users) {
        this.users = users;
        this.dictionary = dictionary;
        this.compressBody = compressBody;
        this.id = id;
        this.channel = channel;
        this.handshakeJson = handshakeJson;
        this.transport = transport;
        this.serializer = serializer;
        this.metrics = metrics;
    }

    /** The session of a channel, or {@code null} before its handshake completes. */
    public static DefaultSession of(Channel channel) {
        return channel.attr(KEY).get();
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String userId() {
        return userId;
    }

    /** Through the gate's users when it has them (single login across gates), else on this session alone. */
    @Override
    public CompletableFuture<Void> bind(String userId) {
        java.util.Objects.requireNonNull(userId, "userId");
        OnlineUsers directory = users.get();
        if (directory != null) {
            return directory.login(this, userId);
        }
        this.userId = userId;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unbind() {
        OnlineUsers directory = users.get();
        if (directory != null) {
            return directory.logout(this).thenApply(had -> null);
        }
        this.userId = null;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void userIdBound(String userId) {
        this.userId = userId;
    }

    @Override
    public SessionAttributes attributes() {
        SessionAttributes map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    map = new SessionAttributes();
                    attributes = map;
                }
            }
        }
        return map;
    }

    @Override
    public HandshakeRequest handshake() {
        // Parsed again on each call: rare, and cheaper than keeping a tree for every idle connection.
        return HandshakeRequest.parse(handshakeJson);
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public HandshakeInfo.Transport transport() {
        return transport;
    }

    @Override
    public boolean isActive() {
        return channel.isActive();
    }

    /** The serializer of this session's bodies. */
    public Serializer serializer() {
        return serializer;
    }

    /** The route dictionary this client's messages are encoded with; {@code null} sends route strings. */
    public RouteDictionary dictionary() {
        return dictionary;
    }

    /** Whether this client's bodies go out zlib-compressed (it asked for that in its handshake). */
    public boolean compressBody() {
        return compressBody;
    }

    /** The gate's fan-out: one encoded package per distinct encoding, written to every session. */
    @Override
    public FanOut fanOut() {
        return EncodedFanOut.INSTANCE;
    }

    /**
     * Queues an encoded package behind this session's earlier writes without scheduling a drain. Returns true when
     * the caller has taken over the drain and must run {@link #drainNow()} on the channel's event loop (false: a
     * drain is already on its way and will write it). Lets {@link EncodedFanOut} drain many sessions in one task.
     */
    boolean offer(ByteBuf encoded) {
        metrics.messageOut();
        outbox.add(encoded);
        return drainScheduled.compareAndSet(false, true);
    }

    /** Writes the outbox and flushes once; on the channel's event loop, after {@link #offer} returned true. */
    void drainNow() {
        drain();
    }

    /** The event loop refused the drain task (shutdown): the queued buffers go back. */
    void drainRejected(Throwable cause) {
        drainScheduled.set(false);
        discardOutbox(cause);
    }

    @Override
    public void onClose(BiConsumer<Session, String> listener) {
        closeListeners.add(this, listener);
    }

    /** Runs the close listeners once. */
    void fireClosed(String reason) {
        closeListeners.fire(this, reason);
    }

    @Override
    public CompletableFuture<Void> push(String route, byte[] body) {
        return write(PomeloMessage.push(route, Unpooled.wrappedBuffer(body)));
    }

    @Override
    public CompletableFuture<Void> push(String route, Object body) {
        try {
            return push(route, serializer.encode(body));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize push body for " + route, e);
        }
    }

    @Override
    public CompletableFuture<Void> write(PomeloMessage message) {
        metrics.messageOut();
        ChannelPromise promise = channel.newPromise();
        enqueue(new Tracked(message, promise));
        return toFuture(promise);
    }

    /** Writes a response or push without telling anyone how it went: the cheap path for responses. */
    public void send(PomeloMessage message) {
        metrics.messageOut();
        enqueue(message);
    }

    /**
     * Queues a response or push behind this session's earlier writes without scheduling the write: for a caller that
     * sends several messages in a row and then calls {@link #flushQueued()} once, so a batch costs one hand-off to
     * the event loop. Until then the message waits (or leaves with a write that was already on its way).
     */
    public void sendQueued(PomeloMessage message) {
        metrics.messageOut();
        outbox.add(message);
    }

    /** Makes sure what {@link #sendQueued} queued is written and flushed. */
    public void flushQueued() {
        if (!outbox.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drain);
            } catch (RejectedExecutionException e) {
                discardOutbox(e);
            }
        }
    }

    @Override
    public void writeEncoded(ByteBuf encoded) {
        metrics.messageOut();
        enqueue(encoded);
    }

    private void enqueue(Object message) {
        outbox.add(message);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drain);
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down: nothing will be written, so give the buffers back.
                discardOutbox(e);
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        Object next;
        while ((next = outbox.poll()) != null) {
            if (next instanceof Tracked tracked) {
                channel.write(tracked.message(), tracked.promise());
            } else {
                channel.write(next, channel.voidPromise());
            }
        }
        channel.flush();
    }

    private void discardOutbox(Throwable cause) {
        Object next;
        while ((next = outbox.poll()) != null) {
            if (next instanceof Tracked tracked) {
                ReferenceCountUtil.release(tracked.message());
                tracked.promise().tryFailure(cause);
            } else {
                ReferenceCountUtil.release(next);
            }
        }
    }

    @Override
    public void kick(String reason) {
        Kicks.kick(channel, reason, metrics);
    }

    @Override
    public void close(String reason) {
        Kicks.close(channel, reason);
    }

    @Override
    public Channel channel() {
        return channel;
    }

    private static CompletableFuture<Void> toFuture(ChannelFuture future) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        future.addListener(f -> {
            if (f.isSuccess()) {
                result.complete(null);
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    @Override
    public String toString() {
        return "Session(" + id + (userId != null ? ", user " + userId : "") + ", " + channel.remoteAddress() + ")";
    }
}
