package io.switchboard.chat.internal;

import io.switchboard.chat.ChatErrors;
import io.switchboard.chat.ChatRoutes;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.Filter;
import io.switchboard.api.FilterChain;
import io.switchboard.api.HandlerContext;

import java.util.concurrent.CompletionStage;

/** Refuses every chat route but register and the logins to a session without a logged-in chat user. */
final class LoginFilter implements Filter {
    @Override
    public CompletionStage<Object> filter(HandlerContext ctx, FilterChain chain) {
        if (ctx.route().startsWith("chat.") && !ChatRoutes.PUBLIC.contains(ctx.route())
                && ChatHandlers.userIdOf(ctx.session()) == null) {
            throw new SwitchboardException(ChatErrors.NOT_LOGGED_IN);
        }
        return chain.proceed(ctx);
    }
}
