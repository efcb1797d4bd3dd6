package io.switchboard.chat.internal;

import io.switchboard.chat.ChatErrors;
import io.switchboard.common.error.SwitchboardException;

import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Registration, password and token login, logout, and user names by id. Passwords are hashed and checked on the
 * bounded {@link AuthPool} only (refused with {@link ChatErrors#AUTH_BUSY} when it is full), and password logins
 * go through the {@link LoginThrottle}; the database reads before a hash happen on the caller's thread.
 */
public final class Accounts {
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{2,19}");
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 128;

    private final ChatStore store;
    private final PasswordHasher hasher;
    private final AuthPool hashing;
    private final LoginThrottle throttle;
    private final RegistrationLimit registrations;
    private final TokenSigner tokens;
    private final LongSupplier ids;
    private final Clock clock;
    /** Names never change, so they are cached for good. */
    private final Map<Long, String> names = new ConcurrentHashMap<>();

    public Accounts(ChatStore store, PasswordHasher hasher, AuthPool hashing, LoginThrottle throttle,
                    RegistrationLimit registrations, TokenSigner tokens, LongSupplier ids, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.hashing = hashing;
        this.throttle = throttle;
        this.registrations = registrations;
        this.tokens = tokens;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Stores a new account once its password is hashed; {@link ChatErrors#NAME_TAKEN} when the name is taken,
     * {@link ChatErrors#TOO_MANY_ATTEMPTS} past the {@link RegistrationLimit} of {@code client} ({@link
     * LoginThrottle#clientOf}, {@code null} when unknown).
     */
    public CompletableFuture<ChatStore.User> register(String name, String password, String client) {
        checkName(name);
        int length = password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD || length > MAX_PASSWORD) {
            throw new SwitchboardException(ChatErrors.BAD_PASSWORD);
        }
        if (store.userByName(name) != null) {
            throw new SwitchboardException(ChatErrors.NAME_TAKEN);   // before spending a hash on it
        }
        registrations.admit(client);
        long id = ids.getAsLong();
        return hashing.submit(() -> {
            String hash = hasher.hash(password);
            store.insertUser(id, name, hash, clock.millis());
            return new ChatStore.User(id, name, hash, 0);
        });
    }

    /**
     * The user with this name and password; {@link ChatErrors#WRONG_PASSWORD} otherwise, either way, counted by the
     * throttle against the name and {@code client} ({@link LoginThrottle#clientOf}, {@code null} when unknown).
     * While either is locked the login is refused with {@link ChatErrors#TOO_MANY_ATTEMPTS} and nothing is hashed.
     * A hash below the current cost is redone and stored.
     */
    public CompletableFuture<ChatStore.User> login(String name, String password, String client) {
        // Malformed names count against the client only: they are no account, and would be unbounded keys.
        String throttled = NAME.matcher(name).matches() ? name : null;
        throttle.check(throttled, client);
        ChatStore.User user = throttled != null && password.length() <= MAX_PASSWORD * 2
                ? store.userByName(name) : null;
        return hashing.submit(() -> {
            // Again: logins that queued before a lock took effect must not hash either.
            throttle.check(throttled, client);
            boolean matches;
            if (user == null) {
                hasher.verifyDecoy(password);
                matches = false;
            } else {
                matches = hasher.verify(password, user.passwordHash());
            }
            if (!matches) {
                throttle.failed(throttled, client);
                throw new SwitchboardException(ChatErrors.WRONG_PASSWORD);
            }
            throttle.succeeded(throttled);
            return rehashed(user, password);
        });
    }

    /** The user, its hash redone at the current cost and stored when the stored one has fewer iterations. */
    private ChatStore.User rehashed(ChatStore.User user, String password) {
        if (!hasher.needsRehash(user.passwordHash())) {
            return user;
        }
        String hash = hasher.hash(password);
        try {
            if (!store.replacePasswordHash(user.id(), user.passwordHash(), hash)) {
                return user;   // changed meanwhile: the newer hash stays
            }
        } catch (SwitchboardException e) {
            return user;   // the login stands; the next one upgrades the hash
        }
        return new ChatStore.User(user.id(), user.name(), hash, user.tokenEpoch());
    }

    public String token(ChatStore.User user) {
        return tokens.sign(user.id(), user.tokenEpoch());
    }

    /** The user a token was signed for, if it is genuine, unexpired, and not revoked by a logout. */
    public ChatStore.User verify(String token) {
        TokenSigner.Claims claims = tokens.verify(token);
        ChatStore.User user = store.userById(claims.userId());
        if (user == null || user.tokenEpoch() != claims.epoch()) {
            throw new SwitchboardException(ChatErrors.BAD_TOKEN);
        }
        return user;
    }

    /** Revokes every token of the user. */
    public void logout(long userId) {
        store.bumpTokenEpoch(userId);
    }

    public ChatStore.User byName(String name) {
        ChatStore.User user = NAME.matcher(name).matches() ? store.userByName(name) : null;
        if (user == null) {
            throw new SwitchboardException(ChatErrors.NO_SUCH_USER, "no such user: " + clip(name));
        }
        return user;
    }

    public String nameOf(long userId) {
        String cached = names.get(userId);
        if (cached != null) {
            return cached;
        }
        ChatStore.User user = store.userById(userId);
        if (user == null) {
            throw new SwitchboardException(ChatErrors.NOT_LOGGED_IN);
        }
        names.put(userId, user.name());
        return user.name();
    }

    static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new SwitchboardException(ChatErrors.BAD_NAME);
        }
    }

    static String clip(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
