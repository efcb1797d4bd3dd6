package io.switchboard.cluster.internal;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.switchboard.cluster.ClusterErrors;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.FanOut;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.gate.CloseListeners;
import io.switchboard.gate.Session;
import io.switchboard.handler.internal.SerialExecutor;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.rooms.RoomPresence;
import io.switchboard.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * A client session of some gate, as a service node sees it: the handlers' {@link Session}. Its {@link #id()} is
 * unique across gates ({@link ClusterProtocol#clusterSessionId}); pushes, binds and kicks travel to the session's
 * gate as envelopes; attributes live on this node for as long as the session is placed here. It has no channel,
 * handshake or remote address on a node: those methods return {@code null}, and {@link #writeEncoded} is not
 * supported (push instead). Messages of one session run one at a time, in order, on the node's workers.
 */
public final class RemoteSession implements Session, RoomPresence {
    private static final Logger log = LoggerFactory.getLogger(RemoteSession.class);

    private final int gateNodeId;
    private final long gateSessionId;
    private final int selfNodeId;
    private final IntFunction<Link> gateLinks;
    private final Serializer serializer;
    private final SerialExecutor serial;
    private final FanOut fanOut;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final CloseListeners closeListeners = new CloseListeners();
    private volatile String userId;

    RemoteSession(int gateNodeId, long gateSessionId, int selfNodeId, IntFunction<Link> gateLinks,
                  Serializer serializer, Executor workers, FanOut fanOut) {
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
        return ClusterProtocol.clusterSessionId(gateNodeId, gateSessionId);
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

    @Override
    public String userId() {
        return userId;
    }

    /** The gate's view of the user id, carried by every message. */
    void userIdFromGate(String userId) {
        this.userId = userId;
    }

    @Override
    public void bind(String userId) {
        this.userId = java.util.Objects.requireNonNull(userId, "userId");
        send(upkeep(ClusterProtocol.SESSION_BIND, userId));
    }

    @Override
    public void unbind() {
        this.userId = null;
        send(upkeep(ClusterProtocol.SESSION_BIND, ""));
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public HandshakeRequest handshake() {
        return null;
    }

    @Override
    public SocketAddress remoteAddress() {
        return null;
    }

    @Override
    public HandshakeInfo.Transport transport() {
        return null;
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
        byte[] bytes;
        try {
            bytes = body instanceof byte[] raw ? raw : serializer.encode(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize push body for " + route, e);
        }
        return push(route, bytes);
    }

    /** Not on a node: the encoded package would have to cross the link anyway. Releases {@code encoded}. */
    @Override
    public void writeEncoded(ByteBuf encoded) {
        encoded.release();
        throw new UnsupportedOperationException("writeEncoded is gate-only; push from a service node");
    }

    /** The node's fan-out: one BROADCAST envelope per gate, whose gate encodes it once for its sessions. */
    @Override
    public FanOut fanOut() {
        return fanOut;
    }

    /** Tells the gate, so it can send {@code onRoomClosed} if this node dies with the room. */
    @Override
    public void roomJoined(String roomId) {
        send(upkeep(ClusterProtocol.ROOM_JOINED, roomId));
    }

    @Override
    public void roomLeft(String roomId) {
        send(upkeep(ClusterProtocol.ROOM_LEFT, roomId));
    }

    @Override
    public void kick(String reason) {
        send(upkeep(ClusterProtocol.SESSION_KICK, reason));
    }

    @Override
    public void close(String reason) {
        kick(reason);
    }

    /** No channel on a node. */
    @Override
    public Channel channel() {
        return null;
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
        CompletableFuture<Void> done = new CompletableFuture<>();
        link.send(envelope).addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    @Override
    public String toString() {
        return "RemoteSession(gate " + gateNodeId + ", session " + gateSessionId
                + (userId != null ? ", user " + userId : "") + ")";
    }
}
