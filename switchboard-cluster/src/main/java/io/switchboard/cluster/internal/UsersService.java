package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.PushPayload;
import io.switchboard.cluster.protocol.SystemRoutes;

import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.Session;
import io.switchboard.api.errors.SessionErrors;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.api.SessionLocation;
import io.switchboard.users.UserSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * The gate's answers to nodes' requests about users ({@code sys.user.*}, see {@link SystemRoutes#USER_LOGIN}),
 * from its {@link UserSessions}, so they reach the session directory shared with the other gates. The answer is a
 * RESPONSE with text, or an error response with the failure's code.
 */
final class UsersService {
    private static final Logger log = LoggerFactory.getLogger(UsersService.class);

    private final IntSupplier selfNodeId;
    private final UserSessions users;
    private final GateSessions sessions;

    UsersService(IntSupplier selfNodeId, UserSessions users, GateSessions sessions) {
        this.selfNodeId = selfNodeId;
        this.users = users;
        this.sessions = sessions;
    }

    void request(Link origin, Envelope envelope) {
        long requestId = Envelopes.requestId(envelope);
        String route = Envelopes.route(envelope);
        CompletableFuture<String> answer;
        try {
            answer = answer(route, envelope);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((text, error) -> {
            if (error == null) {
                origin.send(Envelopes.builder(Kind.RESPONSE).requestId(requestId).sourceNodeId(selfNodeId.getAsInt())
                        .payload(ByteString.copyFromUtf8(text)).build());
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof SwitchboardException e) {
                origin.send(Envelopes.errorResponse(requestId, e.code(), e.getMessage()));
            } else {
                log.warn("{} from node {} failed", route, origin.peerNodeId(), cause);
                origin.send(Envelopes.errorResponse(requestId, HandlerErrors.HANDLER_FAILED.code(),
                        route + " failed: " + cause));
            }
        });
    }

    private CompletableFuture<String> answer(String route, Envelope envelope) {
        String uid = envelope.hasUserId() ? Envelopes.userId(envelope) : null;
        return switch (route) {
            case SystemRoutes.USER_LOGIN -> users.login(requireSession(envelope), uid).thenApply(v -> "");
            case SystemRoutes.USER_LOGOUT -> users.logout(requireSession(envelope)).thenApply(String::valueOf);
            case SystemRoutes.USER_PUSH -> {
                byte[] payload = Envelopes.payload(envelope).toByteArray();
                yield users.push(uid, PushPayload.route(payload), PushPayload.body(payload))
                        .thenApply(String::valueOf);
            }
            case SystemRoutes.USER_LOOKUP -> users.lookup(uid).thenApply(locations -> locations.stream()
                    .map(SessionLocation::key).collect(Collectors.joining("\n")));
            case SystemRoutes.USER_KICK -> users.kick(uid, Envelopes.payload(envelope).toStringUtf8())
                    .thenApply(String::valueOf);
            default -> throw new SwitchboardException(HandlerErrors.ROUTE_NOT_FOUND, "no gate route " + route);
        };
    }

    private Session requireSession(Envelope envelope) {
        Session session = envelope.hasSessionId() ? sessions.of(envelope) : null;
        if (session == null) {
            throw new SwitchboardException(SessionErrors.NO_SUCH_SESSION,
                    "session " + Envelopes.sessionId(envelope) + " is gone");
        }
        return session;
    }
}
