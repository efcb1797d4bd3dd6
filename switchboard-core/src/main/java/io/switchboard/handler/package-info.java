/**
 * The handler runtime: handlers registered by route {@code service.handler.method}, as annotated classes
 * ({@link io.switchboard.api.Handler}, {@link io.switchboard.api.Route}) or as lambdas
 * ({@link io.switchboard.api.Handlers#request}, {@link io.switchboard.api.Handlers#notify}); a
 * {@link io.switchboard.api.Filter} chain before and after them (seed 002's chain of responsibility);
 * and the {@link io.switchboard.handler.Dispatcher} that runs them off the I/O threads, one session's
 * messages in arrival order.
 */
package io.switchboard.handler;
