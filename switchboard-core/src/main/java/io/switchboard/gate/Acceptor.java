package io.switchboard.gate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a client may connect, from its handshake (seed 002's {@code Acceptor}). May answer
 * later (to check a token against a store); it is called on an I/O thread, so it must not block.
 */
@FunctionalInterface
public interface Acceptor {

    /** Accepts everyone, binding no user. */
    Acceptor ACCEPT_ALL = info -> CompletableFuture.completedFuture(Acceptance.accept());

    CompletionStage<Acceptance> accept(HandshakeInfo info);
}
