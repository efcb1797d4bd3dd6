package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.ClusterSessionIds;
import io.switchboard.cluster.protocol.SystemRoutes;

import com.google.protobuf.ByteString;
import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.FanOut;
import io.switchboard.gate.CloseListeners;
import io.switchboard.api.OnlineUsers;
import io.switchboard.api.Session;
import io.switchboard.api.TypedAttributes;
import io.switchboard.api.spi.SessionBinding;
import io.switchboard.common.concurrent.SerialExecutor;
import io.switchboard.rooms.RoomPresence;
import io.switchboard.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * A client session of some gate, as a service node sees it: the handlers' {@link Session}. Its {@link #id()} is
 * unique across gates ({@link SystemRoutes#clusterSessionId}); pushes, binds and kicks travel to the session's
 * gate as envelopes; attributes live on this node for as long as the session is placed here. It has no channel,
 * remote address on a node ({@code null}). Messages of one session run one at a time, in order, on the node's workers.
 */
public final class RemoteSession implements Session, SessionBinding, RoomPresence {
    private static final Logger log = LoggerFactory.getLogger(RemoteSession.class);

    private final int gateNodeId;
    private final long gateSessionId;
    private final int selfNodeId;
    private final IntFunction<Link> gateLinks;
    private final Serializer serializer;
    private final SerialExecutor serial;
    private final FanOut fanOut;
    private final TypedAttributes attributes = new TypedAttributes();
    private final OnlineUsers users;
    private final CloseListeners closeListeners = new CloseListeners();
    private final SocketAddress remoteAddress;
    private volatile String userId;
    /** Messages of this session on the node: queued, running, or held by a handler's stage not done yet. */
    private final AtomicInteger messagesInHand = new AtomicInteger();
    /** Their body bytes. */
    private final AtomicLong bytesInHand = new AtomicLong();

    /**
     * @param remoteAddress the client's address as its gate saw it, {@code null} when not known (a call from another
     *                      node, a gate that does not send it)
     */
    RemoteSession(int gateNodeId, long gateSessionId, int selfNodeId, IntFunction<Link> gateLinks,
                  Serializer serializer, Executor workers, FanOut fanOut, OnlineUsers users,
                  SocketAddress remoteAddress) {
        this.remoteAddress = remoteAddress;
        this.users = users;
        this.fanOut = fanOut;
        this.gateNodeId = gateNodeId;
        this.gateSessionId = gateSessionId;
        this.selfNodeId = selfNodeId;
        this.gateLinks = gateLinks;
        this.serializer = serializer;
        this.serial = new SerialExecutor(workers);
    }

    @Override
    public long id() {
        return ClusterSessionIds.of(gateNodeId, gateSessionId);
    }

    public int gateNodeId() {
        return gateNodeId;
    }

    public long gateSessionId() {
        return gateSessionId;
    }

    SerialExecutor serial() {
        return serial;
    }

    /**
     * Counts a message of {@code bytes} in, unless the session has {@code maxMessages} in hand already or its bytes
     * would pass {@code maxBytes} (a message alone always fits: the gate's body cap bounds it); each counted message is
     * {@link #messageDone}.
     */
    boolean takeMessage(int bytes, int maxMessages, long maxBytes) {
        int messages = messagesInHand.incrementAndGet();
        long held = bytesInHand.addAndGet(bytes);
        if (messages > maxMessages || (held > maxBytes && held != bytes)) {
            messageDone(bytes);
            return false;
        }
        return true;
    }

    void messageDone(int bytes) {
        messagesInHand.decrementAndGet();
        bytesInHand.addAndGet(-bytes);
    }

    @Override
    public String userId() {
        return userId;
    }

    /** The gate's view of the user id, carried by every message, or what the gate answered to a login. */
    @Override
    public void userIdBound(String userId) {
        this.userId = userId;
    }

    /** Through the session's gate and its session directory, as on the gate itself. */
    @Override
    public CompletableFuture<Void> bind(String userId) {
        return users.login(this, java.util.Objects.requireNonNull(userId, "userId"));
    }

    @Override
    public CompletableFuture<Void> unbind() {
        return users.logout(this).thenApply(had -> null);
    }

    @Override
    public TypedAttributes attributes() {
        return attributes;
    }

    /** The client's address as its gate saw it, which the gate sends with each message; {@code null} if unknown. */
    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean isActive() {
        if (closeListeners.fired()) {
            return false;
        }
        Link link = gateLinks.apply(gateNodeId);
        return link != null && link.isActive();
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
        return send(Envelopes.builder(Kind.PUSH)
                .route(route)
                .sessionId(gateSessionId)
                .gateId(gateNodeId)
                .sourceNodeId(selfNodeId)
                .targetNodeId(gateNodeId)
                .payload(body)
                .build());
    }

    @Override
    public CompletableFuture<Void> push(String route, Object body) {
        return push(route, serializer.encodeBody(route, body));
    }

    /** The node's fan-out: one BROADCAST envelope per gate, whose gate encodes it once for its sessions. */
    @Override
    public FanOut fanOut() {
        return fanOut;
    }

    /** Tells the gate, so it can send {@code onRoomClosed} if this node dies with the room. */
    @Override
    public void roomJoined(String roomId) {
        send(upkeep(SystemRoutes.ROOM_JOINED, roomId));
    }

    @Override
    public void roomLeft(String roomId) {
        send(upkeep(SystemRoutes.ROOM_LEFT, roomId));
    }

    @Override
    public void kick(String reason) {
        send(upkeep(SystemRoutes.SESSION_KICK, reason));
    }

    @Override
    public void close(String reason) {
        kick(reason);
    }

    private Envelope upkeep(String route, String payload) {
        return Envelopes.builder(Kind.NOTIFY)
                .route(route)
                .sessionId(gateSessionId)
                .gateId(gateNodeId)
                .sourceNodeId(selfNodeId)
                .payload(ByteString.copyFromUtf8(payload))
                .build();
    }

    private CompletableFuture<Void> send(Envelope envelope) {
        Link link = gateLinks.apply(gateNodeId);
        if (link == null || !link.isActive()) {
            return CompletableFuture.failedFuture(new SwitchboardException(ClusterErrors.NODE_UNREACHABLE,
                    "no link to gate " + gateNodeId));
        }
        return link.sendConfirmed(envelope);
    }

    @Override
    public String toString() {
        return "RemoteSession(gate " + gateNodeId + ", session " + gateSessionId
                + (userId != null ? ", user " + userId : "") + ")";
    }
}
