package io.switchboard.chat.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.chat.ChatErrors;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.Acceptance;
import io.switchboard.gate.Acceptor;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.protocol.Json;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Logs a client in during the handshake when its {@code user} object carries {@code "token"}: the session is
 * bound before the first request, and the handshake's {@code user} answer is {@code {"code":200,...}}.
 * A refused token still lets the client connect, unbound, with the chat error in the {@code user} answer
 * ({@code {"code":1010000005,"msg":".."}}): a 500/501 refusal could not say why. When the token pool is full the
 * answer is {@link ChatErrors#AUTH_BUSY} at once and the client may log in later with {@code chat.auth.resume}. A
 * check that waited in the pool until its client had gone is skipped.
 */
public final class TokenAcceptor implements Acceptor {
    private final Accounts accounts;
    /** Token checks read the database, which must not happen on the gate's I/O thread, nor queue without bound. */
    private final AuthPool pool;

    public TokenAcceptor(Accounts accounts, AuthPool pool) {
        this.accounts = accounts;
        this.pool = pool;
    }

    @Override
    public CompletionStage<Acceptance> accept(HandshakeInfo info) {
        JsonNode user = info.handshake().user();
        JsonNode token = user == null || !user.isObject() ? null : user.get("token");
        if (token == null || token.isNull()) {
            return CompletableFuture.completedFuture(Acceptance.accept());
        }
        if (!token.isTextual()) {
            return CompletableFuture.completedFuture(refused(new SwitchboardException(ChatErrors.BAD_TOKEN,
                    "bad token: 'token' must be a string")));
        }
        try {
            return pool.submit(() -> {
                if (!info.isOpen()) {
                    // Gone while the check waited for the pool (a reconnect storm): its answer would be dropped, so
                    // spend no database read on it.
                    return Acceptance.accept();
                }
                try {
                    ChatStore.User found = accounts.verify(token.textValue());
                    ObjectNode answer = Json.MAPPER.createObjectNode().put("code", 200)
                            .put("userId", String.valueOf(found.id())).put("name", found.name());
                    return Acceptance.accept(String.valueOf(found.id()), answer);
                } catch (SwitchboardException e) {
                    return refused(e);
                }
            });
        } catch (SwitchboardException busy) {
            return CompletableFuture.completedFuture(refused(busy));
        }
    }

    /** Connected unbound, with the reason in the handshake's {@code user} answer. */
    private static Acceptance refused(SwitchboardException e) {
        return Acceptance.accept(null, Json.errorBody(e.code(), e.getMessage()));
    }
}
