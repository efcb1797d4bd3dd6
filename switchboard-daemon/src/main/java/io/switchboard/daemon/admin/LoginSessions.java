package io.switchboard.daemon.admin;

import io.switchboard.common.time.Ticker;
import io.switchboard.globaldb.Role;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Logged-in operators, in memory: a random 256-bit token per login, valid for the session time on the injected
 * ticker. Only the token's SHA-256 is kept and looked up, so neither a heap dump nor lookup timing gives a token
 * away. At most {@value #MAX_PER_USER} per user, so that one user logging in again and again ends only their own
 * oldest sessions, not other operators'; at most {@value #MAX_SESSIONS} in all, a login beyond that ending the session
 * closest to expiring.
 */
final class LoginSessions {
    static final int MAX_SESSIONS = 1_024;
    static final int MAX_PER_USER = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One login: who, with which role, until when (ticker nanoseconds). */
    record LoginSession(Caller caller, long expiresAt) {
    }

    /** A new login's token and session. */
    record Opened(String token, LoginSession session) {
    }

    private final Ticker ticker;
    private final Duration ttl;
    /** In login order, so a user's first entry is their oldest session. */
    private final Map<String, LoginSession> sessions = new LinkedHashMap<>();

    LoginSessions(Ticker ticker, Duration ttl) {
        this.ticker = ticker;
        this.ttl = ttl;
    }

    Duration ttl() {
        return ttl;
    }

    synchronized Opened open(String user, Role role) {
        long now = ticker.nanoTime();
        sessions.values().removeIf(s -> s.expiresAt() <= now);
        List<String> own = sessions.entrySet().stream().filter(e -> e.getValue().caller().user().equals(user))
                .map(Map.Entry::getKey).toList();
        if (own.size() >= MAX_PER_USER) {
            sessions.remove(own.get(0)); // in login order: the user's oldest
        } else if (sessions.size() >= MAX_SESSIONS) {
            sessions.entrySet().stream().min(Map.Entry.comparingByValue(
                    java.util.Comparator.comparingLong(LoginSession::expiresAt)))
                    .ifPresent(oldest -> sessions.remove(oldest.getKey()));
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        LoginSession session = new LoginSession(new Caller(user, role), now + ttl.toNanos());
        sessions.put(digest(token), session);
        return new Opened(token, session);
    }

    /** The session of a token, while it is valid. */
    synchronized Optional<LoginSession> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return Optional.empty();
        }
        String key = digest(token);
        LoginSession session = sessions.get(key);
        if (session != null && session.expiresAt() <= ticker.nanoTime()) {
            sessions.remove(key);
            return Optional.empty();
        }
        return Optional.ofNullable(session);
    }

    synchronized void close(String token) {
        if (token != null) {
            sessions.remove(digest(token));
        }
    }

    synchronized int size() {
        return sessions.size();
    }

    private static String digest(String token) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java", e);
        }
    }
}
