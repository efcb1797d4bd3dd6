/**
 * The handler API: what a handler or app author touches, and nothing of Netty. {@link io.switchboard.api.Handlers}
 * registers routes {@code service.handler.method} as lambdas or annotated classes ({@link io.switchboard.api.Handler},
 * {@link io.switchboard.api.Route}) with {@link io.switchboard.api.Filter}s around them (seed 002's chain of
 * responsibility); handlers see a {@link io.switchboard.api.HandlerContext} and its
 * {@link io.switchboard.api.Session}, with typed attributes ({@link io.switchboard.api.TypedKey}); logged-in users
 * are {@link io.switchboard.api.OnlineUsers}. The same handlers run on a standalone server, on a gate and on a
 * cluster service node.
 */
package io.switchboard.api;
