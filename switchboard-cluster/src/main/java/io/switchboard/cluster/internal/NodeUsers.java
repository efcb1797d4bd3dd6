package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.PushPayload;
import io.switchboard.cluster.protocol.SystemRoutes;

import io.switchboard.cluster.protocol.EnvelopeBuilder;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.api.Session;
import io.switchboard.serialization.Serializer;
import io.switchboard.api.OnlineUsers;
import io.switchboard.api.SessionLocation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@link OnlineUsers} for a service node's handlers. The node holds no directory client: logins and logouts go to the
 * session's own gate, which binds it through its session directory and applies its login policy; lookups, pushes and
 * kicks go to a gate chosen by user id, which finds the user's gates in the directory.
 */
public final class NodeUsers implements OnlineUsers {
    private final Supplier<NodeRuntime> runtime;
    private final Serializer serializer;

    public NodeUsers(Supplier<NodeRuntime> runtime, Serializer serializer) {
        this.runtime = runtime;
        this.serializer = serializer;
    }

    @Override
    public CompletableFuture<Void> login(Session session, String uid) {
        Objects.requireNonNull(uid, "uid");
        RemoteSession remote = remote(session);
        return ask(remote.gateNodeId(), uid, request(SystemRoutes.USER_LOGIN, uid)
                .sessionId(remote.gateSessionId()).gateId(remote.gateNodeId()))
                .thenAccept(answer -> remote.userIdBound(uid));
    }

    @Override
    public CompletableFuture<Boolean> logout(Session session) {
        RemoteSession remote = remote(session);
        if (remote.userId() == null) {
            return CompletableFuture.completedFuture(false);
        }
        return ask(remote.gateNodeId(), remote.userId(), Envelopes.builder(Kind.REQUEST)
                .route(SystemRoutes.USER_LOGOUT).sessionId(remote.gateSessionId()).gateId(remote.gateNodeId()))
                .thenApply(answer -> {
                    remote.userIdBound(null);
                    return Boolean.parseBoolean(text(answer));
                });
    }

    @Override
    public CompletableFuture<List<SessionLocation>> lookup(String uid) {
        return ask(-1, uid, request(SystemRoutes.USER_LOOKUP, uid)).thenApply(answer -> {
            String text = text(answer);
            return text.isEmpty() ? List.of()
                    : Arrays.stream(text.split("\n")).map(SessionLocation::parse).toList();
        });
    }

    @Override
    public CompletableFuture<Integer> push(String uid, String route, Object body) {
        byte[] bytes = serializer.encodeBody(route, body);
        return ask(-1, uid, request(SystemRoutes.USER_PUSH, uid)
                .payload(PushPayload.encode(route, bytes)))
                .thenApply(answer -> Integer.parseInt(text(answer)));
    }

    @Override
    public CompletableFuture<Integer> kick(String uid, String reason) {
        return ask(-1, uid, request(SystemRoutes.USER_KICK, uid).payload(reason.getBytes(StandardCharsets.UTF_8)))
                .thenApply(answer -> Integer.parseInt(text(answer)));
    }

    private static EnvelopeBuilder request(String route, String uid) {
        return Envelopes.builder(Kind.REQUEST).route(route).userId(uid);
    }

    private CompletableFuture<byte[]> ask(int gate, String key, EnvelopeBuilder request) {
        NodeRuntime r = runtime.get();
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the node is not started"));
        }
        return r.callGate(gate, key, request);
    }

    private static RemoteSession remote(Session session) {
        if (session instanceof RemoteSession remote && remote.gateSessionId() != 0) {
            return remote;
        }
        throw new IllegalArgumentException("not a client session of this node: " + session);
    }

    private static String text(byte[] answer) {
        return new String(answer, StandardCharsets.UTF_8);
    }
}
