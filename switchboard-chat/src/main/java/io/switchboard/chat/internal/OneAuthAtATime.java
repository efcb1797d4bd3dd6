package io.switchboard.chat.internal;

import io.switchboard.api.Session;
import io.switchboard.api.TypedKey;
import io.switchboard.chat.ChatErrors;
import io.switchboard.common.error.SwitchboardException;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * At most one register, login or resume in flight per connection: one connection cannot fill the auth pool with
 * its own password guesses. A second one while the first runs is refused with {@link ChatErrors#AUTH_IN_PROGRESS}.
 */
final class OneAuthAtATime {
    private static final TypedKey<Boolean> IN_FLIGHT = TypedKey.of("chat.authInFlight", Boolean.class);

    private OneAuthAtATime() {
    }

    /** Starts {@code auth} unless the session has one running; the answer comes after the session is free again. */
    static <T> CompletionStage<T> run(Session session, Supplier<? extends CompletionStage<T>> auth) {
        if (session.attributes().putIfAbsent(IN_FLIGHT, Boolean.TRUE) != null) {
            throw new SwitchboardException(ChatErrors.AUTH_IN_PROGRESS);
        }
        CompletionStage<T> running;
        try {
            running = auth.get();
        } catch (RuntimeException e) {
            session.attributes().remove(IN_FLIGHT);
            throw e;
        }
        // Freed before the answer is sent, so the client may start its next auth request as soon as it has it.
        return running.whenComplete((result, error) -> session.attributes().remove(IN_FLIGHT));
    }
}
