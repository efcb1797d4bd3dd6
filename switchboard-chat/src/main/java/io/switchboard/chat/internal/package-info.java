/**
 * The chat application's workings: JDBC stores, password hashing, tokens, presence and the route handlers.
 * Not API: may change at any time.
 */
package io.switchboard.chat.internal;
