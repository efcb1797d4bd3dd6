package io.switchboard.chat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import io.switchboard.api.Events;
import io.switchboard.common.id.Snowflake;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * How the chat application stores and signs: the JDBC database, the token secret and lifetime, the password
 * hash cost, the bounded pools that hash passwords and check handshake tokens, the failed-login throttle, the
 * clock, and the snowflake node id of this process.
 *
 * <p>The default database is an embedded H2 file under {@code ./data}; for real deployments point
 * {@link Builder#jdbcUrl} at PostgreSQL or MariaDB/MySQL. The default token secret is random per process, so tokens do not
 * survive a restart and are not shared between processes: set one for cluster mode.
 */
public final class ChatConfig {
    /** Where {@link #builder()} puts the embedded database when no JDBC URL is given. */
    public static final Path DEFAULT_H2_FILE = Path.of("data", "switchboard-chat");
    /** OWASP's current advice for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet, since 2023). */
    public static final int DEFAULT_PASSWORD_ITERATIONS = 600_000;
    /**
     * The largest request body the chat needs (a 2,000-character message, a group's member list, with room to
     * spare): the body limit of a port that serves the chat, so clients cannot make it buffer more.
     */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** Threads of each auth pool: a hash takes a core for a fraction of a second, so a few are plenty. */
    public static final int DEFAULT_AUTH_THREADS = 2;
    /** Tasks that may wait for an auth pool before the next is refused with {@code AUTH_BUSY}. */
    public static final int DEFAULT_AUTH_QUEUE = 64;
    /** Failed logins for one name before it is locked. */
    public static final int DEFAULT_LOGIN_FAILURES_PER_NAME = 5;
    /** Failed logins from one address, over every name, before it is locked; higher, as users share NATs. */
    public static final int DEFAULT_LOGIN_FAILURES_PER_IP = 20;
    /** The first lock; each further failure doubles it. */
    public static final Duration DEFAULT_FIRST_LOGIN_LOCK = Duration.ofSeconds(1);
    /** The longest lock; a key quiet this long past its lock is forgotten. */
    public static final Duration DEFAULT_MAX_LOGIN_LOCK = Duration.ofMinutes(15);
    /** Names, and addresses, the throttle remembers at most (each); the least recently seen go first. */
    public static final int DEFAULT_LOGIN_THROTTLE_CAPACITY = 10_000;

    /** Accounts one client address may register per {@link #DEFAULT_REGISTRATION_WINDOW}; NATs share addresses. */
    public static final int DEFAULT_REGISTRATIONS_PER_IP = 20;
    public static final Duration DEFAULT_REGISTRATION_WINDOW = Duration.ofHours(1);
    /** Members a group may have: each message to it is one push per member. */
    public static final int DEFAULT_MAX_GROUP_MEMBERS = 1_000;
    /** Groups one user may be in (created, joined or invited to). */
    public static final int DEFAULT_MAX_GROUPS_PER_USER = 500;
    /** Conversations a login answer or {@code chat.conversation.list} gives at most, newest activity first. */
    public static final int DEFAULT_MAX_CONVERSATIONS_LISTED = 1_000;

    static final long DEFAULT_STATEMENT_TIMEOUT_SECONDS = 5;
    /** The longest a database call may take; see {@link Builder#statementTimeout}. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(DEFAULT_STATEMENT_TIMEOUT_SECONDS);

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final int maxPoolSize;
    private final Duration statementTimeout;
    private final byte[] tokenSecret;
    private final Duration tokenTtl;
    private final int passwordIterations;
    private final int authThreads;
    private final int authQueue;
    private final int loginFailuresPerName;
    private final int loginFailuresPerIp;
    private final Duration firstLoginLock;
    private final Duration maxLoginLock;
    private final int loginThrottleCapacity;
    private final int registrationsPerIp;
    private final Duration registrationWindow;
    private final int maxGroupMembers;
    private final int maxGroupsPerUser;
    private final int maxConversationsListed;
    private final Clock clock;
    private final IntSupplier nodeIds;
    private final Events events;

    private ChatConfig(Builder b) {
        this.jdbcUrl = b.jdbcUrl != null ? b.jdbcUrl : h2FileUrl(DEFAULT_H2_FILE);
        this.username = b.username;
        this.password = b.password;
        this.maxPoolSize = b.maxPoolSize;
        this.statementTimeout = b.statementTimeout;
        this.tokenSecret = b.tokenSecret != null ? b.tokenSecret.clone() : randomSecret();
        this.tokenTtl = b.tokenTtl;
        this.passwordIterations = b.passwordIterations;
        this.authThreads = b.authThreads;
        this.authQueue = b.authQueue;
        this.loginFailuresPerName = b.loginFailuresPerName;
        this.loginFailuresPerIp = b.loginFailuresPerIp;
        this.firstLoginLock = b.firstLoginLock;
        this.maxLoginLock = b.maxLoginLock;
        this.loginThrottleCapacity = b.loginThrottleCapacity;
        this.registrationsPerIp = b.registrationsPerIp;
        this.registrationWindow = b.registrationWindow;
        this.maxGroupMembers = b.maxGroupMembers;
        this.maxGroupsPerUser = b.maxGroupsPerUser;
        this.maxConversationsListed = b.maxConversationsListed;
        this.clock = b.clock;
        this.nodeIds = b.nodeIds;
        this.events = b.events;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The JDBC URL of an embedded H2 database in {@code file} (H2 adds {@code .mv.db}). */
    public static String h2FileUrl(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The JDBC URL of a private in-memory H2 database, kept while the application runs. */
    public static String h2MemoryUrl(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public int maxPoolSize() {
        return maxPoolSize;
    }

    /** The longest any database call may take: a statement, the wait for a connection, a silent socket. */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    public byte[] tokenSecret() {
        return tokenSecret.clone();
    }

    public Duration tokenTtl() {
        return tokenTtl;
    }

    public int passwordIterations() {
        return passwordIterations;
    }

    public int authThreads() {
        return authThreads;
    }

    public int authQueue() {
        return authQueue;
    }

    public int loginFailuresPerName() {
        return loginFailuresPerName;
    }

    public int loginFailuresPerIp() {
        return loginFailuresPerIp;
    }

    public Duration firstLoginLock() {
        return firstLoginLock;
    }

    public Duration maxLoginLock() {
        return maxLoginLock;
    }

    public int loginThrottleCapacity() {
        return loginThrottleCapacity;
    }

    public int registrationsPerIp() {
        return registrationsPerIp;
    }

    public Duration registrationWindow() {
        return registrationWindow;
    }

    public int maxGroupMembers() {
        return maxGroupMembers;
    }

    public int maxGroupsPerUser() {
        return maxGroupsPerUser;
    }

    public int maxConversationsListed() {
        return maxConversationsListed;
    }

    public Clock clock() {
        return clock;
    }

    /** The snowflake node id of this process: fixed, or the registry's once assigned (negative until then). */
    public IntSupplier nodeIds() {
        return nodeIds;
    }

    /** Where the chat publishes stored messages and membership changes; {@link Events#NONE} by default. */
    public Events events() {
        return events;
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    /** Builds a {@link ChatConfig}; everything has a default. */
    public static final class Builder {
        private String jdbcUrl;
        private String username;
        private String password;
        private int maxPoolSize = 8;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private byte[] tokenSecret;
        private Duration tokenTtl = Duration.ofDays(7);
        private int passwordIterations = DEFAULT_PASSWORD_ITERATIONS;
        private int authThreads = DEFAULT_AUTH_THREADS;
        private int authQueue = DEFAULT_AUTH_QUEUE;
        private int loginFailuresPerName = DEFAULT_LOGIN_FAILURES_PER_NAME;
        private int loginFailuresPerIp = DEFAULT_LOGIN_FAILURES_PER_IP;
        private Duration firstLoginLock = DEFAULT_FIRST_LOGIN_LOCK;
        private Duration maxLoginLock = DEFAULT_MAX_LOGIN_LOCK;
        private int loginThrottleCapacity = DEFAULT_LOGIN_THROTTLE_CAPACITY;
        private int registrationsPerIp = DEFAULT_REGISTRATIONS_PER_IP;
        private Duration registrationWindow = DEFAULT_REGISTRATION_WINDOW;
        private int maxGroupMembers = DEFAULT_MAX_GROUP_MEMBERS;
        private int maxGroupsPerUser = DEFAULT_MAX_GROUPS_PER_USER;
        private int maxConversationsListed = DEFAULT_MAX_CONVERSATIONS_LISTED;
        private Clock clock = Clock.systemUTC();
        private IntSupplier nodeIds = () -> 0;
        private Events events = Events.NONE;

        private Builder() {
        }

        /**
         * {@code jdbc:h2:...}, {@code jdbc:postgresql://...} or {@code jdbc:mariadb://...} (MariaDB or MySQL);
         * default an H2 file in {@code ./data}.
         */
        public Builder jdbcUrl(String jdbcUrl) {
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * The longest a database call may take ({@value #DEFAULT_STATEMENT_TIMEOUT_SECONDS} s by default): each
         * statement, the wait for a pooled connection, and (PostgreSQL) a socket that stopped answering, which gets
         * this plus 2 s. Past it the request fails with {@code STORAGE_UNAVAILABLE}.
         */
        public Builder statementTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("statementTimeout must be positive: " + timeout);
            }
            this.statementTimeout = timeout;
            return this;
        }

        public Builder maxPoolSize(int maxPoolSize) {
            if (maxPoolSize < 1) {
                throw new IllegalArgumentException("maxPoolSize must be positive: " + maxPoolSize);
            }
            this.maxPoolSize = maxPoolSize;
            return this;
        }

        /** The HMAC-SHA256 key of login tokens; at least 32 bytes. Processes that share users share it. */
        public Builder tokenSecret(byte[] tokenSecret) {
            if (tokenSecret == null || tokenSecret.length < 32) {
                throw new IllegalArgumentException("the token secret must be at least 32 bytes");
            }
            this.tokenSecret = tokenSecret.clone();
            return this;
        }

        /** {@link #tokenSecret(byte[])} from a string, such as an environment variable. */
        public Builder tokenSecret(String tokenSecret) {
            return tokenSecret(Objects.requireNonNull(tokenSecret, "tokenSecret").getBytes(StandardCharsets.UTF_8));
        }

        public Builder tokenTtl(Duration tokenTtl) {
            if (tokenTtl == null || tokenTtl.isNegative() || tokenTtl.isZero()) {
                throw new IllegalArgumentException("tokenTtl must be positive: " + tokenTtl);
            }
            this.tokenTtl = tokenTtl;
            return this;
        }

        /** PBKDF2 iterations for new password hashes; stored per hash, so it can be raised later. */
        public Builder passwordIterations(int passwordIterations) {
            if (passwordIterations < 1) {
                throw new IllegalArgumentException("passwordIterations must be positive: " + passwordIterations);
            }
            this.passwordIterations = passwordIterations;
            return this;
        }

        /**
         * The threads and queue of each of the two auth pools (password hashes; handshake tokens). Past the queue
         * an auth request is refused with {@code AUTH_BUSY} at once.
         */
        public Builder authPool(int threads, int queue) {
            requirePositive("auth threads and queue", threads, queue);
            this.authThreads = threads;
            this.authQueue = queue;
            return this;
        }

        /**
         * Failed logins before a name, and before a client address (over all names), is locked; locked logins are
         * refused with {@code TOO_MANY_ATTEMPTS} without checking the password.
         */
        public Builder loginFailures(int perName, int perIp) {
            requirePositive("failures before a lock", perName, perIp);
            this.loginFailuresPerName = perName;
            this.loginFailuresPerIp = perIp;
            return this;
        }

        /** The first lock and the longest; each failure past the limit doubles the lock up to {@code max}. */
        public Builder loginLock(Duration first, Duration max) {
            if (first == null || max == null || first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
                throw new IllegalArgumentException("login locks must be positive, the first no longer than the "
                        + "longest: " + first + ", " + max);
            }
            this.firstLoginLock = first;
            this.maxLoginLock = max;
            return this;
        }

        /** How many names, and how many addresses, the login throttle remembers at most. */
        public Builder loginThrottleCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("loginThrottleCapacity must be positive: " + capacity);
            }
            this.loginThrottleCapacity = capacity;
            return this;
        }

        /**
         * Accounts one client address (an IPv6 /64 counted as one) may register in each {@code window}; past it,
         * {@code TOO_MANY_ATTEMPTS} before any hashing; on a cluster's chat nodes too, by the address their gate saw.
         */
        public Builder registrationLimit(int perIp, Duration window) {
            if (perIp < 1 || window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("registrations per address and their window must be positive: "
                        + perIp + ", " + window);
            }
            this.registrationsPerIp = perIp;
            this.registrationWindow = window;
            return this;
        }

        /**
         * The members a group may have (at least 2) and the groups one user may be in: past them, creating, joining
         * or inviting is refused with {@code GROUP_FULL} or {@code TOO_MANY_GROUPS}.
         */
        public Builder groupLimits(int maxMembers, int maxGroupsPerUser) {
            if (maxMembers < 2 || maxGroupsPerUser < 1) {
                throw new IllegalArgumentException("a group of at least 2 and at least 1 group per user: "
                        + maxMembers + ", " + maxGroupsPerUser);
            }
            this.maxGroupMembers = maxMembers;
            this.maxGroupsPerUser = maxGroupsPerUser;
            return this;
        }

        /** The conversations a login answer or {@code chat.conversation.list} gives at most (then {@code more}). */
        public Builder maxConversationsListed(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConversationsListed must be positive: " + max);
            }
            this.maxConversationsListed = max;
            return this;
        }

        /**
         * Publishes {@code chat.message.stored}, {@code chat.group.joined} and {@code chat.group.left} to
         * {@code events} (README, "Events"); off by default.
         */
        public Builder events(Events events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** The clock of token expiry, message timestamps and login locks. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * A fixed snowflake node id (0..1023) for a process outside a registry (the standalone server), unique among
         * processes that share a database.
         */
        public Builder nodeId(int nodeId) {
            if (nodeId < 0 || nodeId > Snowflake.MAX_NODE_ID) {
                throw new IllegalArgumentException("nodeId must be 0.." + Snowflake.MAX_NODE_ID + ": " + nodeId);
            }
            this.nodeIds = () -> nodeId;
            return this;
        }

        /**
         * The snowflake node id the registry assigns (DESIGN §5), read when the first id is issued: a cluster node
         * passes its registration's id, negative until registered.
         */
        public Builder nodeIds(IntSupplier assigned) {
            this.nodeIds = Objects.requireNonNull(assigned, "assigned");
            return this;
        }

        public ChatConfig build() {
            return new ChatConfig(this);
        }

        private static void requirePositive(String what, int first, int second) {
            if (first < 1 || second < 1) {
                throw new IllegalArgumentException(what + " must be positive: " + first + ", " + second);
            }
        }
    }
}
