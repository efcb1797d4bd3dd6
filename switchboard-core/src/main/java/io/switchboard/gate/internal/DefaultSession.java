package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.switchboard.api.OnlineUsers;
import io.switchboard.api.TypedAttributes;
import io.switchboard.api.spi.SessionBinding;
import io.switchboard.gate.ClientProtocol;
import io.switchboard.gate.CloseListeners;
import io.switchboard.gate.GateSession;
import io.switchboard.api.FanOut;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.api.Session;
import io.switchboard.gate.ResumeRefusal;
import io.switchboard.gate.internal.OutboxEntry.Tracked;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.protocol.websocket.EncodedBinaryFrames;
import io.switchboard.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The gate's {@link Session}: a connection plus what the handshake and the handlers attached to it. With resume on,
 * the connection may change: a session whose connection drops is parked (pushes to it are kept in its
 * {@link PushBuffer}) until a new connection resumes it or its grace period ends ({@link ParkedSessions}).
 */
public final class DefaultSession implements GateSession, SessionBinding {
    private static final Logger log = LoggerFactory.getLogger(DefaultSession.class);
    public static final AttributeKey<DefaultSession> KEY = AttributeKey.valueOf("switchboard.session");

    /** Where the session is with its connections. */
    private enum Link { CONNECTED, PARKED, CLOSED }

    private final long id;
    /** The current connection; while parked, the one that dropped (its event loop still runs the drains). */
    private volatile Channel channel;
    private volatile Link link = Link.CONNECTED;
    /**
     * The drain task, which also guards the link, the push buffer, the secrets and the drain: a private object either
     * way, and one object less per session than a lock of its own.
     */
    private final Drain lock = new Drain();
    /** The pushes, secrets and state of a resume; {@code null} when this session cannot be resumed. */
    private final ResumeState resume;
    private final ParkedSessions parking;
    /** The handshake as the client sent it; kept as bytes because a parsed JSON tree costs far more. */
    private final byte[] handshakeJson;
    private final HandshakeInfo.Transport transport;
    private final ClientProtocol protocol;
    private final Serializer serializer;
    private final GateMetrics metrics;
    private final RouteDictionary dictionary;
    private final boolean compressBody;
    /** What the compressed bodies of the current read inflated to; {@link SessionMessageCodec}'s, on the event loop. */
    int inflatedThisRead;
    // Made on first use: most sessions never need them, and idle connections are counted in the hundred thousands.
    private volatile TypedAttributes attributes;
    private final AtomicReference<OnlineUsers> users;
    private volatile CloseListeners closeListeners; // made by the first listener or the close
    private static final AtomicReferenceFieldUpdater<DefaultSession, CloseListeners> CLOSE_LISTENERS =
            AtomicReferenceFieldUpdater.newUpdater(DefaultSession.class, CloseListeners.class, "closeListeners");
    private volatile String userId;
    /**
     * Messages written from handler threads wait here and go out in one event-loop task with one flush, so
     * a burst of responses and pushes costs one task and one syscall instead of one each.
     */
    private volatile Queue<Object> outbox; // made by the first write: an idle connection never needs one
    private static final AtomicReferenceFieldUpdater<DefaultSession, Queue> OUTBOX =
            AtomicReferenceFieldUpdater.newUpdater(DefaultSession.class, Queue.class, "outbox");
    /** 1 while a drain is on its way to the event loop. */
    private volatile int drainScheduled;
    private static final AtomicIntegerFieldUpdater<DefaultSession> DRAIN_SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(DefaultSession.class, "drainScheduled");

    private final class Drain implements Runnable {
        @Override
        public void run() {
            drain();
        }
    }

    /** Marks a drain as on its way; true when this caller must see it run. */
    private boolean claimDrain() {
        return DRAIN_SCHEDULED.compareAndSet(this, 0, 1);
    }

    private CloseListeners closeListeners() {
        CloseListeners listeners = closeListeners;
        if (listeners == null) {
            CLOSE_LISTENERS.compareAndSet(this, null, new CloseListeners());
            listeners = closeListeners;
        }
        return listeners;
    }

    @SuppressWarnings("unchecked")
    private Queue<Object> outbox() {
        Queue<Object> queue = outbox;
        if (queue == null) {
            OUTBOX.compareAndSet(this, null, new ConcurrentLinkedQueue<>());
            queue = outbox;
        }
        return queue;
    }

    private boolean hasQueued() {
        Queue<Object> queue = outbox;
        return queue != null && !queue.isEmpty();
    }

    private Object poll() {
        Queue<Object> queue = outbox;
        return queue == null ? null : queue.poll();
    }

    /** What a new connection learns from {@link #claim}: a refusal, or the new token and a half-open connection. */
    record Claim(ResumeRefusal refusal, String token, Channel halfOpen) {
    }

    DefaultSession(long id, Channel channel, byte[] handshakeJson, HandshakeInfo.Transport transport,
                   ClientProtocol protocol, Serializer serializer, GateMetrics metrics, RouteDictionary dictionary,
                   boolean compressBody, AtomicReference<OnlineUsers> users, ParkedSessions parking,
                   byte[] resumeSecret) {
        this.users = users;
        this.dictionary = dictionary;
        this.compressBody = compressBody;
        this.id = id;
        this.channel = channel;
        this.handshakeJson = handshakeJson;
        this.transport = transport;
        this.protocol = protocol;
        this.serializer = serializer;
        this.metrics = metrics;
        this.parking = parking;
        this.resume = resumeSecret == null ? null : new ResumeState(resumeSecret, parking.bufferBytes());
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
        userIdBound(userId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unbind() {
        OnlineUsers directory = users.get();
        if (directory != null) {
            return directory.logout(this).thenApply(had -> null);
        }
        userIdBound(null);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void userIdBound(String userId) {
        String before = this.userId;
        this.userId = userId;
        SessionEvents events = parking.events();
        if (events != null) {
            events.bound(id, before, userId);
        }
    }

    @Override
    public TypedAttributes attributes() {
        TypedAttributes map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    map = new TypedAttributes();
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

    /** The framing this session's client speaks: what its pushes are encoded as. */
    public ClientProtocol protocol() {
        return protocol;
    }

    /** Connected, or parked for a resume. */
    @Override
    public boolean isActive() {
        Link now = link;
        return now == Link.PARKED || (now == Link.CONNECTED && channel.isActive());
    }

    /** Whether pushes to this session count: always until it closes when it keeps them for a resume. */
    boolean takesPushes() {
        return resume != null ? link != Link.CLOSED : isActive();
    }

    /** Whether the session is parked: its connection dropped and it waits for a resume. */
    public boolean isParked() {
        return link == Link.PARKED;
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

    /**
     * How pushes to this session's client are encoded (sessions with equal encodings share one buffer); made on each
     * call, so an idle session holds no encoding object.
     */
    PushEncoding pushEncoding() {
        PushEncoding encoding = switch (protocol) {
            case KIM -> PushEncoding.Kim.INSTANCE;
            case DOMI -> new PushEncoding.Domi(dictionary);
            case POMELO -> new PushEncoding.Pomelo(dictionary, compressBody);
        };
        return transport == HandshakeInfo.Transport.WEBSOCKET ? new PushEncoding.Framed(encoding) : encoding;
    }

    /** The gate's fan-out: one encoded package per distinct encoding, written to every session. */
    @Override
    public FanOut fanOut() {
        return EncodedFanOut.INSTANCE;
    }

    /**
     * Queues an encoded package (for a WebSocket client, in its frame) behind this session's earlier writes without
     * scheduling a drain (the caller sends the answers of a burst of the calling thread for this session first:
     * {@link #inBurst()}). Returns true when the caller has taken over the drain and must run {@link #drainNow()} on
     * the channel's event loop (false: a drain is already on its way and will write it). Lets {@link EncodedFanOut}
     * drain many sessions in one task.
     */
    boolean offer(Object encoded) {
        metrics.messageOut();
        outbox().add(encoded);
        return claimDrain();
    }

    /** Writes the outbox and flushes once; on the channel's event loop, after {@link #offer} returned true. */
    void drainNow() {
        drain();
    }

    /** The event loop refused the drain task (shutdown): the queued buffers go back. */
    void drainRejected(Throwable cause) {
        drainScheduled = 0;
        discardOutbox(() -> cause);
    }

    @Override
    public void onClose(BiConsumer<Session, String> listener) {
        closeListeners().add(this, listener);
    }

    /** Runs the close listeners once. */
    void fireClosed(String reason) {
        closeListeners().fire(this, reason);
    }

    @Override
    public CompletableFuture<Void> push(String route, byte[] body) {
        return write(PomeloMessage.push(route, Unpooled.wrappedBuffer(body)));
    }

    @Override
    public CompletableFuture<Void> push(String route, Object body) {
        return push(route, serializer.encodeBody(route, body));
    }

    @Override
    public CompletableFuture<Void> write(PomeloMessage message) {
        metrics.messageOut();
        CompletableFuture<Void> future = new CompletableFuture<>();
        enqueue(new Tracked(OversizedAnswers.fitting(message), future));
        return future;
    }

    /** Writes a response or push without telling anyone how it went: the cheap path for responses. */
    public void send(PomeloMessage message) {
        metrics.messageOut();
        enqueue(message);
    }

    /**
     * On the thread about to handle a burst of this session's messages: until {@link #endBurst()}, the answers it
     * gives with {@link #answer} wait and then leave together, so a burst costs one hand-off to the event loop
     * and, for a Pomelo client, one buffer and one write. Anything else this thread writes to the session first sends
     * the answers gathered so far, so the client gets everything in the order it was sent.
     */
    public void beginBurst() {
        Burst b = Burst.current();
        DefaultSession other = b.session;
        if (other != null && other != this) {
            // A burst inside another session's (not done by the dispatcher): that one's answers go first, as they are.
            other.endBurst();
        }
        b.session = this;
    }

    /**
     * Sends a response: while the calling thread handles a burst of this session, it waits for the burst's one write;
     * otherwise it is written at once. One larger than a package carries becomes an {@code ANSWER_TOO_LARGE} error.
     * Takes ownership of {@code message}.
     */
    public void answer(PomeloMessage message) {
        message = OversizedAnswers.fitting(message);
        Burst b = Burst.current();
        if (b.session == this) {
            b.answers.add(message); // counted out when the burst is published, once for all
        } else {
            send(message);
        }
    }

    /** Ends the calling thread's burst: its answers are queued and written with one drain. */
    public void endBurst() {
        Burst b = Burst.current();
        if (b.session == this) {
            b.session = null;
            publish(b);
        }
        if (hasQueued() && claimDrain()) {
            scheduleDrain();
        }
    }

    /** The session whose burst the calling thread is handling, or {@code null}. */
    static DefaultSession inBurst() {
        return Burst.current().session;
    }

    /** Called before any write to the outbox: if the calling thread is in a burst of this session, its answers go first. */
    void publishOwnBurst() {
        Burst b = Burst.current();
        if (b.session == this) {
            publish(b);
        }
    }

    /**
     * Moves a burst's answers to the outbox, a Pomelo client's encoded here, on the worker, into one buffer (one write):
     * over TCP as packages, over WebSocket as binary frames of one package each (as Pomelo's WebSocket clients expect).
     * Other framings' go as they are, for their pipeline's encoder.
     */
    private void publish(Burst b) {
        ArrayList<PomeloMessage> answers = b.answers;
        if (answers.isEmpty()) {
            return;
        }
        metrics.messagesOut(answers.size());
        Queue<Object> queue = outbox();
        if (protocol != ClientProtocol.POMELO) {
            queue.addAll(answers);
        } else {
            boolean framed = transport == HandshakeInfo.Transport.WEBSOCKET;
            ByteBuf encoded = BurstEncoding.encode(answers, channel.alloc(), dictionary, compressBody, framed, this);
            if (encoded != null) {
                queue.add(framed ? new EncodedBinaryFrames(encoded) : encoded);
            }
        }
        answers.clear();
    }

    @Override
    public void writeEncoded(ByteBuf encoded) {
        metrics.messageOut();
        enqueue(encoded);
    }

    private void enqueue(Object message) {
        publishOwnBurst();
        outbox().add(message);
        if (claimDrain()) {
            scheduleDrain();
        }
    }

    private void scheduleDrain() {
        try {
            channel.eventLoop().execute(lock);
        } catch (RejectedExecutionException e) {
            // The event loop is shutting down: nothing will be written, so give the buffers back.
            drainRejected(e);
        }
    }

    /**
     * Writes (or, parked, buffers) the outbox. Runs under the session's lock, on the current connection's event loop:
     * a drain scheduled before a resume moved the session hops to the new loop, so the order pushes are numbered in
     * is the order they reach the client.
     */
    private void drain() {
        boolean overflowed = false;
        synchronized (lock) {
            Channel ch = channel;
            if (link == Link.CONNECTED && !ch.eventLoop().inEventLoop()) {
                scheduleDrain(); // still marked scheduled
                return;
            }
            drainScheduled = 0;
            Object next;
            while ((next = poll()) != null) {
                switch (link) {
                    case CONNECTED -> writeNow(ch, next);
                    case PARKED -> overflowed |= keepWhileParked(ch, next);
                    case CLOSED -> OutboxEntry.discard(next, new ClosedChannelException());
                }
            }
            if (link == Link.CONNECTED) {
                ch.flush();
            }
        }
        if (overflowed) {
            parking.overflowed(this);
        }
    }

    private void writeNow(Channel ch, Object next) {
        Object message = OutboxEntry.message(next);
        if (resume != null && PushPackages.isPush(message)) {
            if (message instanceof EncodedBinaryFrames frame) {
                // Kept as the package: a resume may come over either transport, and its pipeline frames it again.
                resume.pushes.add(PushPackages.framedPackage(frame).retainedSlice());
            } else {
                ByteBuf pkg = PushPackages.encodedPush(ch.alloc(), message, dictionary, compressBody);
                resume.pushes.add(pkg.retainedDuplicate());
                message = pkg;
            }
        }
        if (next instanceof Tracked tracked) {
            ch.write(message).addListener(tracked.listener());
        } else {
            ch.write(message, ch.voidPromise());
        }
    }

    /** Buffers a push for the resume; anything else is for the connection that dropped. True on overflow. */
    private boolean keepWhileParked(Channel ch, Object next) {
        Object message = OutboxEntry.message(next);
        if (!PushPackages.isPush(message)) {
            OutboxEntry.discard(next, new ClosedChannelException());
            return false;
        }
        long dropped = resume.pushes.add(PushPackages.encodedPush(ch.alloc(), message, dictionary, compressBody));
        if (next instanceof Tracked tracked) {
            tracked.future().complete(null);
        }
        return dropped > resume.sentBeforePark;
    }

    /** Made only when something is left to fail: most sessions close with an empty outbox. */
    private void discardOutbox(Supplier<Throwable> cause) {
        Object next;
        Throwable failure = null;
        while ((next = poll()) != null) {
            if (failure == null) {
                failure = cause.get();
            }
            OutboxEntry.discard(next, failure);
        }
    }

    /** Whether {@code ch} is the session's live connection. */
    boolean isOn(Channel ch) {
        return link == Link.CONNECTED && channel == ch;
    }

    /**
     * Parks the session after {@code from} dropped; false when it is no longer on that connection or cannot be
     * resumed (its client's framing has no resume).
     */
    boolean park(Channel from) {
        synchronized (lock) {
            if (!isOn(from) || resume == null) {
                return false;
            }
            link = Link.PARKED;
            resume.parked();
            return true;
        }
    }

    /**
     * Lets a new connection take over with {@code secret} (constant-time compared) and the client's push count: on
     * success the secret is replaced, the session is held for that connection's ack and, if it was still on a
     * connection (half-open), parked and that connection returned for closing.
     */
    Claim claim(byte[] secret, long received, boolean compress, HandshakeInfo.Transport on, String acceptedUserId,
                byte[] newSecret) {
        synchronized (lock) {
            if (link == Link.CLOSED || resume == null) {
                return new Claim(ResumeRefusal.UNKNOWN_SESSION, null, null);
            }
            ResumeRefusal refusal = resume.refusal(secret, received);
            if (refusal == null && (compress != compressBody || on != transport
                    || (acceptedUserId != null && !acceptedUserId.equals(userId)))) {
                refusal = ResumeRefusal.HANDSHAKE_MISMATCH;
            }
            if (refusal != null) {
                return new Claim(refusal, null, null);
            }
            Channel halfOpen = null;
            if (link == Link.CONNECTED) {
                halfOpen = channel;
                link = Link.PARKED;
                resume.parked();
            }
            resume.claim(newSecret);
            return new Claim(null, parking.token(id, newSecret), halfOpen);
        }
    }

    /** Whether {@code secret} is the session's current one and no connection is resuming it with it. */
    boolean heldBy(byte[] secret) {
        synchronized (lock) {
            return link != Link.CLOSED && resume != null && !resume.claimed
                    && ResumeTokens.matches(resume.secret, secret);
        }
    }

    /** The connection that claimed the session closed before its ack: the session waits for another. */
    void unclaim() {
        synchronized (lock) {
            if (resume != null) {
                resume.claimed = false;
            }
        }
    }

    /**
     * Moves the claimed session onto {@code ch} (on its event loop, at the handshake ack) and writes the pushes after
     * {@code received} before anything else; returns how many, or -1 when the session closed meanwhile or the
     * pushes are no longer all there.
     */
    long attach(Channel ch, long received) {
        List<ByteBuf> replay;
        synchronized (lock) {
            resume.claimed = false;
            if (link != Link.PARKED || !resume.pushes.covers(received)) {
                return -1;
            }
            replay = resume.pushes.after(received);
            channel = ch;
            link = Link.CONNECTED;
            for (ByteBuf pkg : replay) {
                ch.write(pkg, ch.voidPromise());
            }
            ch.flush();
        }
        if (hasQueued() && claimDrain()) {
            scheduleDrain();
        }
        return replay.size();
    }

    /** Ends a parked session whose grace period is over, unless a connection is resuming it. */
    boolean expire() {
        synchronized (lock) {
            if (link != Link.PARKED || (resume != null && resume.claimed)) {
                return false;
            }
            closeNow();
            return true;
        }
    }

    /** Ends the session for good, if it is not already; false when it was. */
    boolean markClosed() {
        synchronized (lock) {
            if (link == Link.CLOSED) {
                return false;
            }
            closeNow();
            return true;
        }
    }

    /** Ends the session if it is still on {@code ch}: its connection closed and it is not parked. */
    boolean markClosedIfOn(Channel ch) {
        synchronized (lock) {
            if (!isOn(ch)) {
                return false;
            }
            closeNow();
            return true;
        }
    }

    private void closeNow() {
        link = Link.CLOSED;
        if (resume != null) {
            resume.pushes.release();
        }
        discardOutbox(ClosedChannelException::new);
    }

    /** The bytes of pushes this session keeps for a resume. */
    long bufferedBytes() {
        synchronized (lock) {
            return resume == null ? 0 : resume.pushes.bytes();
        }
    }

    /** The resume token for the handshake answer that made this session. */
    String resumeToken() {
        synchronized (lock) {
            return resume == null ? null : parking.token(id, resume.secret);
        }
    }

    @Override
    public void kick(String reason) {
        if (link == Link.CONNECTED) {
            Kicks.kick(channel, reason, metrics);
        } else {
            parking.end(this, reason);
        }
    }

    @Override
    public void close(String reason) {
        if (link == Link.CONNECTED) {
            Kicks.close(channel, reason);
        } else {
            parking.end(this, reason);
        }
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "Session(" + id + (userId != null ? ", user " + userId : "") + ", " + channel.remoteAddress()
                + (link == Link.PARKED ? ", parked" : "") + ")";
    }
}
