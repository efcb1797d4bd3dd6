package io.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.SessionErrors;
import io.switchboard.protocol.Json;
import io.switchboard.users.GateCommand;
import io.switchboard.users.LoginPolicy;
import io.switchboard.users.SessionDirectory;
import io.switchboard.users.SessionLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link SessionDirectory} in Redis, through Lettuce, shared by every gate of a cluster.
 *
 * <p>Each user is a hash {@code <prefix>user:<uid>} whose fields are {@link SessionLocation#key()}s. Binding runs as
 * one Lua script, so checking the policy and writing are atomic across gates; unbinding is a compare-and-delete
 * script that removes only the caller's own field, so a late logout of a kicked session cannot erase the entry of
 * the session that kicked it. Commands to a gate go over pub/sub on {@code <prefix>gate:<gateId>}.
 */
public final class RedisSessionDirectory implements SessionDirectory {
    private static final Logger log = LoggerFactory.getLogger(RedisSessionDirectory.class);
    private static final String REFUSED = "!refused";

    /** KEYS[1] user hash; ARGV[1] location; ARGV[2] policy. Returns the displaced locations, or {"!refused"}. */
    private static final String BIND = """
            local others = {}
            for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
              if field ~= ARGV[1] then table.insert(others, field) end
            end
            if ARGV[2] == 'REFUSE_NEW' and #others > 0 then return {'!refused'} end
            if ARGV[2] == 'KICK_OLD' then
              redis.call('DEL', KEYS[1])
              redis.call('HSET', KEYS[1], ARGV[1], '1')
              return others
            end
            redis.call('HSET', KEYS[1], ARGV[1], '1')
            return {}
            """;

    /** KEYS[1] user hash; ARGV[1] location. Deletes that field only if it is there; returns 1 if it was. */
    private static final String UNBIND = """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
              return redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return 0
            """;

    private final RedisClient client;
    private final boolean ownsClient;
    private final String prefix;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final Map<String, Consumer<GateCommand>> listeners = new ConcurrentHashMap<>();

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

    /** Connects with its own client; {@link #close()} shuts it down. */
    public static RedisSessionDirectory connect(RedisURI uri, String keyPrefix) {
        RedisClient client = RedisClient.create(uri);
        try {
            return new RedisSessionDirectory(client, true, Objects.requireNonNull(keyPrefix, "keyPrefix"));
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** Uses a client the caller owns (and shuts down). */
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
        return redis.<List<Object>>eval(BIND, ScriptOutputType.MULTI, new String[] {userKey(uid)}, location.key(),
                policy.name()).toCompletableFuture().thenApply(result -> {
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
        return redis.<Long>eval(UNBIND, ScriptOutputType.INTEGER, new String[] {userKey(uid)}, location.key())
                .toCompletableFuture().thenApply(removed -> removed != null && removed > 0);
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

    private void deliver(String channel, String message) {
        Consumer<GateCommand> listener = listeners.get(channel);
        if (listener == null) {
            return;
        }
        try {
            JsonNode json = Json.MAPPER.readTree(message);
            long session = json.get("session").asLong();
            GateCommand command = switch (GateCommand.Type.valueOf(json.get("type").asText())) {
                case PUSH -> GateCommand.push(session, json.get("route").asText(),
                        Base64.getDecoder().decode(json.get("body").asText()));
                case KICK -> GateCommand.kick(session, json.get("reason").asText());
            };
            listener.accept(command);
        } catch (Exception e) {
            log.warn("bad command on {}: {}", channel, message, e);
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
