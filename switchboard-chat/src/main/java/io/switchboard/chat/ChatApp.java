package io.switchboard.chat;

import io.switchboard.chat.internal.Accounts;
import io.switchboard.chat.internal.AuthPool;
import io.switchboard.chat.internal.ChatDatabase;
import io.switchboard.chat.internal.ChatEvents;
import io.switchboard.chat.internal.ChatHandlers;
import io.switchboard.chat.internal.ChatStore;
import io.switchboard.chat.internal.DirectoryPresence;
import io.switchboard.chat.internal.LocalPresence;
import io.switchboard.chat.internal.LoginThrottle;
import io.switchboard.chat.internal.RegistrationLimit;
import io.switchboard.chat.internal.PasswordHasher;
import io.switchboard.chat.internal.Presence;
import io.switchboard.chat.internal.TokenAcceptor;
import io.switchboard.chat.internal.TokenSigner;
import io.switchboard.chat.internal.WebPage;
import io.switchboard.common.id.AssignedSnowflake;
import io.switchboard.gate.Acceptor;
import io.switchboard.gate.HttpFallback;
import io.switchboard.api.Handlers;
import io.switchboard.api.Session;
import io.switchboard.api.SessionListener;
import io.switchboard.server.StandaloneServer;
import io.switchboard.api.OnlineUsers;

import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The chat application: open it on a database, then put it on a server.
 *
 * <pre>{@code
 * ChatApp chat = ChatApp.open(ChatConfig.builder().build());   // H2 file under ./data, migrated
 * Handlers handlers = new Handlers();                          // may hold other applications' routes too
 * StandaloneServer server = chat.install(StandaloneServer.builder(), handlers).build().start();
 * ...
 * server.close();
 * chat.close();
 * }</pre>
 *
 * In cluster mode the pieces go apart: {@link #register(Handlers, OnlineUsers)} with the node's users on the chat
 * service nodes (type {@code chat}), and {@link #acceptor()} and {@link #webPage()} on the gates, which log a
 * handshake's token user in through their session directory themselves. Every process shares the database and the
 * token secret; each chat node has its own {@link ChatConfig#nodeIds()}, the registry's on a cluster node.
 */
public final class ChatApp implements AutoCloseable {
    private final ChatDatabase database;
    private final Accounts accounts;
    private final ChatStore store;
    private final LongSupplier ids;
    private final Clock clock;
    /** {@code null} when events are off. */
    private final ChatEvents events;
    private final LocalPresence presence = new LocalPresence();
    private final List<Presence> presences = new CopyOnWriteArrayList<>(List.of(presence));
    /** Hashes and checks passwords, so logins never take the workers every route shares. */
    private final AuthPool hashing;
    /** Checks handshake tokens; apart from the hashes, so a reconnect storm does not wait behind them. */
    private final AuthPool tokenChecks;
    private final TokenAcceptor acceptor;
    private final WebPage webPage = new WebPage();

    private ChatApp(ChatConfig config, ChatDatabase database, PasswordHasher hasher) {
        this.database = database;
        this.store = new ChatStore(database.dataSource(), new ChatStore.Limits(config.maxGroupMembers(),
                config.maxGroupsPerUser(), config.maxConversationsListed()));
        this.ids = new AssignedSnowflake(config.nodeIds(), config.clock());
        this.clock = config.clock();
        this.events = ChatEvents.of(config.events(), config.clock());
        this.hashing = new AuthPool("switchboard-chat-hash", config.authThreads(), config.authQueue());
        this.tokenChecks = new AuthPool("switchboard-chat-token", config.authThreads(), config.authQueue());
        LoginThrottle throttle = new LoginThrottle(config.clock(), config.loginFailuresPerName(),
                config.loginFailuresPerIp(), config.firstLoginLock(), config.maxLoginLock(),
                config.loginThrottleCapacity());
        RegistrationLimit registrations = new RegistrationLimit(config.clock(), config.registrationsPerIp(),
                config.registrationWindow(), config.loginThrottleCapacity());
        this.accounts = new Accounts(store, hasher, hashing, throttle, registrations,
                new TokenSigner(config.tokenSecret(), config.clock(), config.tokenTtl()), ids, config.clock());
        this.acceptor = new TokenAcceptor(accounts, tokenChecks);
    }

    /** Connects to the database and migrates it to the newest schema; throws when either fails. */
    public static ChatApp open(ChatConfig config) {
        return open(config, new PasswordHasher(config.passwordIterations()));
    }

    /** {@link #open(ChatConfig)} with a given hasher: tests count and hold its calls. */
    static ChatApp open(ChatConfig config, PasswordHasher hasher) {
        return new ChatApp(config, ChatDatabase.open(config), hasher);
    }

    /**
     * Adds the chat routes ({@link ChatRoutes}), their login filter and push routes to {@code handlers}, with users
     * online in this process only (standalone; see {@link #sessionListener()}).
     */
    public Handlers register(Handlers handlers) {
        return new ChatHandlers(accounts, store, presence, ids, clock, events).register(handlers);
    }

    /**
     * Adds the chat routes to {@code handlers} with users online across a cluster: logins, single login, pushes and
     * presence go through {@code users} (a service node's {@code users()}), so they hold over every gate and chat
     * node sharing the session directory.
     */
    public Handlers register(Handlers handlers, OnlineUsers users) {
        Presence cluster = new DirectoryPresence(users);
        presences.add(cluster);
        return new ChatHandlers(accounts, store, cluster, ids, clock, events).register(handlers);
    }

    /** Logs in clients whose handshake {@code user} carries a {@code token}; accepts the others unbound. */
    public Acceptor acceptor() {
        return acceptor;
    }

    /** Tracks sessions logged in at the handshake, for single login and pushes. */
    public SessionListener sessionListener() {
        return new SessionListener() {
            @Override
            public void opened(Session session) {
                String userId = session.userId();
                if (userId != null) {
                    try {
                        presence.online(Long.parseLong(userId), session);
                    } catch (NumberFormatException e) {
                        // bound by another application's acceptor: not a chat user
                    }
                }
            }
            // Presence listens to each session's own close.
        };
    }

    /** The web chat page, for {@link StandaloneServer.Builder#httpFallback(HttpFallback)}. */
    public HttpFallback webPage() {
        return webPage;
    }

    /**
     * Registers the routes in {@code handlers} and sets them, the acceptor, the state listener and the web page
     * on {@code builder}. Returns {@code builder}.
     */
    public StandaloneServer.Builder install(StandaloneServer.Builder builder, Handlers handlers) {
        return builder.handlers(register(handlers))
                .acceptor(acceptor)
                .sessionListener(sessionListener())
                .httpFallback(webPage);
    }

    /** How many chat users logged in through this process and are still connected. */
    public int onlineUsers() {
        return presences.stream().mapToInt(Presence::size).sum();
    }

    /** Closes the auth pools and the connection pool; close the server first. */
    @Override
    public void close() {
        tokenChecks.close();
        hashing.close();
        database.close();
    }
}
