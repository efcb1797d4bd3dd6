package io.switchboard.gate.internal;

import io.switchboard.api.Events;

import java.time.Clock;

/**
 * The gate's session events: {@code session.login} when a user id is bound to a session, {@code session.logout} when
 * it is unbound or its session ends while bound. Made only when events are on: a gate without them holds
 * {@code null}, so a bind or a close costs one null check.
 */
final class SessionEvents {
    static final String LOGIN = "session.login";
    static final String LOGOUT = "session.logout";
    /** The logout reason when a handler (or a second login's policy) unbinds a live session. */
    static final String UNBOUND = "unbound";

    /** The body of {@code session.login}; the session id as a string, as it may pass JavaScript's exact integers. */
    public record Login(String session, String user, long time) {
    }

    /** The body of {@code session.logout}: {@code reason} is the session's close reason, or {@value #UNBOUND}. */
    public record Logout(String session, String user, String reason, long time) {
    }

    private final Events events;
    private final Clock clock;

    private SessionEvents(Events events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** Session events on {@code events}, or {@code null} when those are off. */
    static SessionEvents of(Events events) {
        return events.enabled() ? new SessionEvents(events, Clock.systemUTC()) : null;
    }

    /** The user id of {@code session} went from {@code before} to {@code after} (either may be {@code null}). */
    void bound(long session, String before, String after) {
        if (before != null && !before.equals(after)) {
            events.publishJson(LOGOUT, new Logout(Long.toString(session), before, UNBOUND, clock.millis()));
        }
        if (after != null && !after.equals(before)) {
            events.publishJson(LOGIN, new Login(Long.toString(session), after, clock.millis()));
        }
    }

    /** {@code session} ended with {@code reason}; a logout when a user was bound. */
    void ended(long session, String userId, String reason) {
        if (userId != null) {
            events.publishJson(LOGOUT, new Logout(Long.toString(session), userId, reason, clock.millis()));
        }
    }
}
