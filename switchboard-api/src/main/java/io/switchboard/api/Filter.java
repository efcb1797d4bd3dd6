package io.switchboard.api;

import java.util.concurrent.CompletionStage;

/**
 * One link of the chain of responsibility around handlers (seed 002): authentication, logging, rate limits.
 * Call {@code chain.proceed(ctx)} to go on, and look at or replace its result on the way back; or answer
 * without proceeding (return a value, or throw a {@link io.switchboard.common.error.SwitchboardException}).
 * For notifies the result is ignored.
 */
@FunctionalInterface
public interface Filter {
    CompletionStage<Object> filter(HandlerContext ctx, FilterChain chain) throws Exception;
}
