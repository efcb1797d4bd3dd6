package io.switchboard.api;

import java.util.concurrent.CompletionStage;

/** The rest of the chain: the filters after this one, then the handler. */
@FunctionalInterface
public interface FilterChain {
    CompletionStage<Object> proceed(HandlerContext ctx);
}
