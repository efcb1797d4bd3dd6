package io.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.errors.SessionErrors;
import io.switchboard.protocol.Json;
import io.switchboard.users.GateCommand;
import io.switchboard.users.LoginPolicy;
import io.switchboard.users.SessionDirectory;
import io.switchboard.api.SessionLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link SessionDirectory} in Redis, through Lettuce, shared by every gate of a cluster.
 *
 * <p>Each user is a hash {@code <prefix>user:<uid>} whose fields are {@link SessionLocation#key()}s. Binding runs as
 * one Lua script, so checking the policy and writing are atomic across gates; unbinding is a compare-and-delete
 * script that removes only the caller's own field, so a late logout of a kicked session cannot erase the entry of
 * the session that kicked it. Commands to a gate go over pub/sub on {@code <prefix>gate:<gateId>}.
 *
 * <p>Stale entries: each gate's users are indexed in the set {@code <prefix>gate-users:<gateId>}, so a gate's entries
 * can be removed ({@link #purgeGate}), a few hundred users per script so that a big gate never holds Redis for long.
 * A gate that calls {@link #gateAlive} refreshes the key {@code <prefix>alive:<gateId>} (with a time to live); once
 * that key expires, binds ignore the gate's entries and {@link #purgeDeadGates} removes them. The scripts touch keys
 * they compute, so this needs one Redis server (with replicas if wanted), not Redis Cluster.
 */
public final class RedisSessionDirectory implements SessionDirectory {
    private static final Logger log = LoggerFactory.getLogger(RedisSessionDirectory.class);
    private static final String REFUSED = "!refused";

    /**
     * Shared by the scripts. ARGV[1] is always the key prefix. {@code gateOf} reads a location's gate; {@code dead}
     * is true for a gate that announced itself alive ({@link #gateAlive}) and let it lapse; {@code forget} drops a
     * user from a gate's index once the user's hash holds no entry of that gate.
     */
    private static final String PRELUDE = """
            local P = ARGV[1]
            local function gateOf(field) return string.match(field, '^(.*)/[^/]*$') end
            local function dead(gate)
              return redis.call('SISMEMBER', P .. 'gates', gate) == 1 and redis.call('EXISTS', P .. 'alive:' .. gate) == 0
            end
            local function forget(userKey, uid, gate)
              for _, f in ipairs(redis.call('HKEYS', userKey)) do
                if gateOf(f) == gate then return end
              end
              redis.call('SREM', P .. 'gate-users:' .. gate, uid)
            end
            """;

    /**
     * KEYS[1] user hash; ARGV[2] location; ARGV[3] policy; ARGV[4] uid; ARGV[5] the location's gate. Returns the
     * displaced locations, or {"!refused"}. Entries of dead gates are dropped, never displaced nor refused for.
     */
    private static final String BIND = PRELUDE + """
            local others = {}
            for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
              if field ~= ARGV[2] then
                if dead(gateOf(field)) then
                  redis.call('HDEL', KEYS[1], field)
                  forget(KEYS[1], ARGV[4], gateOf(field))
                else
                  table.insert(others, field)
                end
              end
            end
            if ARGV[3] == 'REFUSE_NEW' and #others > 0 then return {'!refused'} end
            redis.call('HSET', KEYS[1], ARGV[2], '1')
            redis.call('SADD', P .. 'gate-users:' .. ARGV[5], ARGV[4])
            if ARGV[3] == 'KICK_OLD' then
              for _, field in ipairs(others) do redis.call('HDEL', KEYS[1], field) end
              for _, field in ipairs(others) do forget(KEYS[1], ARGV[4], gateOf(field)) end
              return others
            end
            return {}
            """;

    /** KEYS[1] user hash; ARGV[2] location; ARGV[3] uid; ARGV[4] gate. Deletes that field only if it is there. */
    private static final String UNBIND = PRELUDE + """
            if redis.call('HDEL', KEYS[1], ARGV[2]) == 1 then
              forget(KEYS[1], ARGV[3], ARGV[4])
              return 1
            end
            return 0
            """;

    /**
     * One step of a gate's purge. ARGV[2] gate; ARGV[3] at most this many users; ARGV[4] {@code dead} to purge only a
     * gate that is still dead (it may have come back since the last step), {@code any} otherwise. Takes up to ARGV[3]
     * users out of the gate's index and removes their entries of that gate; the gate's {@code alive:} key and its
     * membership in {@code gates} go with the last step. Returns {entries removed, 0 more to do | 1 done | 2 not dead}.
     */
    private static final String PURGE_STEP = PRELUDE + """
            local gate = ARGV[2]
            if ARGV[4] == 'dead' and not dead(gate) then return {0, 2} end
            local n = 0
            local index = P .. 'gate-users:' .. gate
            for _, uid in ipairs(redis.call('SPOP', index, ARGV[3])) do
              local key = P .. 'user:' .. uid
              for _, f in ipairs(redis.call('HKEYS', key)) do
                if gateOf(f) == gate then
                  redis.call('HDEL', key, f)
                  n = n + 1
                end
              end
            end
            if redis.call('SCARD', index) > 0 then return {n, 0} end
            redis.call('DEL', P .. 'alive:' .. gate)
            redis.call('SREM', P .. 'gates', gate)
            return {n, 1}
            """;

    /** Returns the gates that announced themselves alive and let it lapse. */
    private static final String DEAD_GATES = PRELUDE + """
            local found = {}
            for _, gate in ipairs(redis.call('SMEMBERS', P .. 'gates')) do
              if dead(gate) then table.insert(found, gate) end
            end
            return found
            """;

    /**
     * Users one purge step takes at most: a few hundred users' HKEYS and HDELs keep each script to about a
     * millisecond, so other gates' calls wait that long at most, not for a whole big gate.
     */
    static final int PURGE_STEP_USERS = 500;

    /** ARGV[2] gate; ARGV[3] time to live in ms. */
    private static final String GATE_ALIVE = PRELUDE + """
            local was = redis.call('EXISTS', P .. 'alive:' .. ARGV[2])
            redis.call('SADD', P .. 'gates', ARGV[2])
            redis.call('SET', P .. 'alive:' .. ARGV[2], '1', 'PX', ARGV[3])
            return was
            """;

    private final RedisClient client;
    private final boolean ownsClient;
    private final String prefix;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final Map<String, Consumer<GateCommand>> listeners = new ConcurrentHashMap<>();
    /** {@link #PURGE_STEP_USERS}; tests make it small to purge a gate in several steps. */
    volatile int purgeStepUsers = PURGE_STEP_USERS;
    /** Runs between two steps of a gate's purge, with the gate's id; tests act there. */
    volatile Function<String, CompletableFuture<?>> betweenPurgeSteps = gate -> CompletableFuture.completedFuture(null);

    private RedisSessionDirectory(RedisClient client, boolean ownsClient, String prefix) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.prefix = prefix;
        this.connection = client.connect();
        this.redis = connection.async();
        this.pubSub = client.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                deliver(channel, message);
            }
        });
    }

    /** Connects to {@code uri} (e.g. {@code redis://127.0.0.1:6379}); keys start with {@code switchboard:}. */
    public static RedisSessionDirectory connect(String uri) {
        return connect(RedisURI.create(uri), "switchboard:");
    }

    /** How long a Redis command or connect may take unless told otherwise; Lettuce's own default is 60 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** Commands that may wait for a busy or reconnecting connection before more are refused. */
    public static final int DEFAULT_REQUEST_QUEUE = 10_000;

    /** Connects with its own client and {@link #DEFAULT_COMMAND_TIMEOUT}; {@link #close()} shuts it down. */
    public static RedisSessionDirectory connect(RedisURI uri, String keyPrefix) {
        return connect(uri, keyPrefix, DEFAULT_COMMAND_TIMEOUT);
    }

    /**
     * Connects with its own client, set up so a Redis that stalls or vanishes fails the calls that need it within
     * {@code commandTimeout} and nothing else: every command (async ones too) times out, commands are refused
     * while the connection is down instead of buffered, and at most {@link #DEFAULT_REQUEST_QUEUE} wait. Calls that
     * fail so complete with {@code DIRECTORY_UNAVAILABLE} through {@code UserSessions}. {@link #close()} shuts the
     * client down.
     */
    public static RedisSessionDirectory connect(RedisURI uri, String keyPrefix, Duration commandTimeout) {
        RedisURI timed = RedisURI.builder(uri).withTimeout(commandTimeout).build();
        RedisClient client = RedisClient.create(timed);
        client.setOptions(clientOptions(commandTimeout));
        try {
            return new RedisSessionDirectory(client, true, Objects.requireNonNull(keyPrefix, "keyPrefix"));
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /**
     * The Lettuce options {@link #connect(RedisURI, String, Duration)} uses: commands time out after
     * {@code commandTimeout} (connects too), are rejected while disconnected, and queue up to
     * {@link #DEFAULT_REQUEST_QUEUE}. For a client passed to {@link #using}.
     */
    public static ClientOptions clientOptions(Duration commandTimeout) {
        return ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(DEFAULT_REQUEST_QUEUE)
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build())
                .build();
    }

    /** Uses a client the caller owns (and shuts down), with the caller's options (see {@link #clientOptions}). */
    public static RedisSessionDirectory using(RedisClient client, String keyPrefix) {
        return new RedisSessionDirectory(client, false, Objects.requireNonNull(keyPrefix, "keyPrefix"));
    }

    private String userKey(String uid) {
        return prefix + "user:" + uid;
    }

    private String gateChannel(String gateId) {
        return prefix + "gate:" + gateId;
    }

    @Override
    public CompletableFuture<List<SessionLocation>> bind(String uid, SessionLocation location, LoginPolicy policy) {
        return redis.<List<Object>>eval(BIND, ScriptOutputType.MULTI, new String[] {userKey(uid)}, prefix,
                location.key(), policy.name(), uid, location.gateId()).toCompletableFuture().thenApply(result -> {
                    if (result.size() == 1 && REFUSED.equals(result.get(0))) {
                        throw new SwitchboardException(SessionErrors.ALREADY_LOGGED_IN, uid + " is logged in elsewhere");
                    }
                    List<SessionLocation> displaced = new ArrayList<>();
                    for (Object field : result) {
                        displaced.add(SessionLocation.parse((String) field));
                    }
                    return displaced;
                });
    }

    @Override
    public CompletableFuture<Boolean> unbind(String uid, SessionLocation location) {
        return redis.<Long>eval(UNBIND, ScriptOutputType.INTEGER, new String[] {userKey(uid)}, prefix,
                location.key(), uid, location.gateId())
                .toCompletableFuture().thenApply(removed -> removed != null && removed > 0);
    }

    /** Removes the gate's entries in steps of {@link #purgeStepUsers} users; completes with how many entries. */
    @Override
    public CompletableFuture<Integer> purgeGate(String gateId) {
        CompletableFuture<PurgeStep> done = new CompletableFuture<>();
        purge(gateId, false, 0, done);
        return done.thenApply(PurgeStep::removed);
    }

    @Override
    public CompletableFuture<Boolean> gateAlive(String gateId, Duration ttl) {
        return redis.<Long>eval(GATE_ALIVE, ScriptOutputType.INTEGER, new String[0], prefix, gateId,
                Long.toString(Math.max(1, ttl.toMillis()))).toCompletableFuture().thenApply(was -> was == 1);
    }

    /**
     * Purges the dead gates one after the other, each in steps that check first that it is still dead: a gate that
     * comes back meanwhile is left alone (it binds its sessions again itself). Completes with how many gates this call
     * purged to the end.
     */
    @Override
    public CompletableFuture<Integer> purgeDeadGates() {
        return redis.<List<Object>>eval(DEAD_GATES, ScriptOutputType.MULTI, new String[0], prefix)
                .toCompletableFuture().thenCompose(gates -> {
                    CompletableFuture<Integer> purged = CompletableFuture.completedFuture(0);
                    for (Object gate : gates) {
                        purged = purged.thenCompose(n -> {
                            CompletableFuture<PurgeStep> done = new CompletableFuture<>();
                            purge((String) gate, true, 0, done);
                            return done.thenApply(last -> last.outcome() == PurgeStep.Outcome.DONE ? n + 1 : n);
                        });
                    }
                    return purged;
                });
    }

    /**
     * Runs purge steps of {@code gateId} until one says it is done or not dead, then completes {@code done} with that
     * step and the entries removed by all of them. Each step starts when the previous one has answered, on Lettuce's
     * thread, without waiting on it.
     */
    private void purge(String gateId, boolean onlyIfDead, int removed, CompletableFuture<PurgeStep> done) {
        purgeStep(gateId, onlyIfDead).thenCompose(step -> step.outcome() == PurgeStep.Outcome.MORE
                ? betweenPurgeSteps.apply(gateId).thenApply(v -> step) : CompletableFuture.completedFuture(step))
                .whenComplete((step, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else if (step.outcome() == PurgeStep.Outcome.MORE) {
                        purge(gateId, onlyIfDead, removed + step.removed(), done);
                    } else {
                        done.complete(new PurgeStep(removed + step.removed(), step.outcome()));
                    }
                });
    }

    /** One {@link #PURGE_STEP} call: at most {@link #purgeStepUsers} users' entries of {@code gateId}. */
    CompletableFuture<PurgeStep> purgeStep(String gateId, boolean onlyIfDead) {
        return redis.<List<Object>>eval(PURGE_STEP, ScriptOutputType.MULTI, new String[0], prefix, gateId,
                Integer.toString(purgeStepUsers), onlyIfDead ? "dead" : "any").toCompletableFuture()
                .thenApply(r -> new PurgeStep(((Long) r.get(0)).intValue(),
                        PurgeStep.Outcome.values()[((Long) r.get(1)).intValue()]));
    }

    /** What purge steps did: entries removed, and whether the gate has more to purge, is done, or is not dead. */
    record PurgeStep(int removed, Outcome outcome) {
        /** In the order of the script's codes. NOT_DEAD: alive again, or purged to the end by another gate. */
        enum Outcome { MORE, DONE, NOT_DEAD }
    }

    @Override
    public CompletableFuture<List<SessionLocation>> lookup(String uid) {
        return redis.hkeys(userKey(uid)).toCompletableFuture()
                .thenApply(fields -> fields.stream().map(SessionLocation::parse).toList());
    }

    @Override
    public CompletableFuture<Void> send(String gateId, GateCommand command) {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("type", command.type().name())
                .put("session", command.sessionId());
        if (command.route() != null) {
            json.put("route", command.route());
        }
        if (command.body() != null) {
            json.put("body", Base64.getEncoder().encodeToString(command.body()));
        }
        if (command.reason() != null) {
            json.put("reason", command.reason());
        }
        return redis.publish(gateChannel(gateId), json.toString()).toCompletableFuture().thenApply(n -> null);
    }

    @Override
    public CompletableFuture<AutoCloseable> subscribe(String gateId, Consumer<GateCommand> listener) {
        String channel = gateChannel(gateId);
        if (listeners.putIfAbsent(channel, listener) != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("gate " + gateId + " subscribed twice"));
        }
        return pubSub.async().subscribe(channel).toCompletableFuture().thenApply(v -> () -> {
            if (listeners.remove(channel, listener) && pubSub.isOpen()) {
                pubSub.async().unsubscribe(channel);
            }
        });
    }

    /**
     * Hands a command to its gate's listener. The log lines below never hold the message, nor an exception's stack
     * or causes: a push body is user payload, and a parser's or listener's exception may quote it.
     */
    private void deliver(String channel, String message) {
        Consumer<GateCommand> listener = listeners.get(channel);
        if (listener == null) {
            return;
        }
        GateCommand command;
        try {
            JsonNode json = Json.MAPPER.readTree(message);
            long session = json.get("session").asLong();
            command = switch (GateCommand.Type.valueOf(json.get("type").asText())) {
                case PUSH -> GateCommand.push(session, json.get("route").asText(),
                        Base64.getDecoder().decode(json.get("body").asText()));
                case KICK -> GateCommand.kick(session, json.get("reason").asText());
            };
        } catch (Exception e) {
            log.warn("bad command on {} ({} chars), dropped: {}", channel, message.length(),
                    e.getClass().getSimpleName());
            return;
        }
        try {
            listener.accept(command);
        } catch (Exception e) {
            log.warn("the listener of {} failed on a {} command: {}: {}", channel, command.type(),
                    e.getClass().getName(), e.getMessage());
        }
    }

    @Override
    public void close() {
        listeners.clear();
        pubSub.close();
        connection.close();
        if (ownsClient) {
            client.shutdown();
        }
    }
}
