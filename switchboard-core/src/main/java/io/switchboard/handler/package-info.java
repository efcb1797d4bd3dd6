/**
 * The handler runtime: handlers registered by route {@code service.handler.method}, as annotated classes
 * ({@link io.switchboard.handler.Handler}, {@link io.switchboard.handler.Route}) or as lambdas
 * ({@link io.switchboard.handler.Handlers#request}, {@link io.switchboard.handler.Handlers#notify}); a
 * {@link io.switchboard.handler.Filter} chain before and after them (seed 002's chain of responsibility);
 * and the {@link io.switchboard.handler.Dispatcher} that runs them off the I/O threads, one session's
 * messages in arrival order.
 */
package io.switchboard.handler;
