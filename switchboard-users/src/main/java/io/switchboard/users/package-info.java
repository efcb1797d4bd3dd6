/**
 * Users across gates: the {@link io.switchboard.users.SessionDirectory} (user id → gate and session; in memory or
 * in Redis), single login with a {@link io.switchboard.users.LoginPolicy}, and pushes to a user wherever it is
 * ({@link io.switchboard.users.UserSessions}).
 */
package io.switchboard.users;
