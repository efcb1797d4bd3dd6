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
import java.util.concurrent.Executor;

/**
 * Logs a client in during the handshake when its {@code user} object carries {@code "token"}: the session is
 * bound before the first request, and the handshake's {@code user} answer is {@code {"code":200,...}}.
 * A refused token still lets the client connect, unbound, with the chat error in the {@code user} answer
 * ({@code {"code":1010000005,"msg":".."}}): a 500/501 refusal could not say why.
 */
public final class TokenAcceptor implements Acceptor {
    private final Accounts accounts;
    /** Token checks read the database, which must not happen on the gate's I/O thread. */
    private final Executor executor;

    public TokenAcceptor(Accounts accounts, Executor executor) {
        this.accounts = accounts;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Acceptance> accept(HandshakeInfo info) {
        JsonNode user = info.handshake().user();
        JsonNode token = user == null || !user.isObject() ? null : user.get("token");
        if (token == null || token.isNull()) {
            return CompletableFuture.completedFuture(Acceptance.accept());
        }
        if (!token.isTextual()) {
            return CompletableFuture.completedFuture(Acceptance.accept(null,
                    Json.errorBody(ChatErrors.BAD_TOKEN.code(), "bad token: 'token' must be a string")));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                ChatStore.User found = accounts.verify(token.textValue());
                ObjectNode answer = Json.MAPPER.createObjectNode().put("code", 200)
                        .put("userId", String.valueOf(found.id())).put("name", found.name());
                return Acceptance.accept(String.valueOf(found.id()), answer);
            } catch (SwitchboardException e) {
                return Acceptance.accept(null, Json.errorBody(e.code(), e.getMessage()));
            }
        }, executor);
    }
}
