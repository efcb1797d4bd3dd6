package io.switchboard.globaldb.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.switchboard.common.text.LogText;
import io.switchboard.common.text.Redact;
import io.switchboard.globaldb.GlobalDb;
import io.switchboard.globaldb.GlobalDbException;
import io.switchboard.globaldb.GlobalDbJson;
import io.switchboard.globaldb.GlobalDbJson.StoredUser;
import io.switchboard.globaldb.PasswordHash;
import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessRecord;
import io.switchboard.globaldb.Role;
import io.switchboard.globaldb.World;
import io.switchboard.globaldb.WorldFile;
import io.switchboard.globaldb.WorldFileException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * globaldb in Redis through Lettuce, in the one fixed layout, so other tools can read it:
 *
 * <ul>
 *   <li>{@code world}: hash, region → region key {@code world:<region>};</li>
 *   <li>{@code world:<region>}: hash, machine inner IP → JSON list of process specs;</li>
 *   <li>{@code process:<region>.<ip>.<name>}: hash with {@code info}, {@code pid}, {@code lastupdate},
 *       {@code startcount}, {@code state};</li>
 *   <li>{@code process}: set of every process key;</li>
 *   <li>{@code user}: hash, name → JSON {@code {salt,hash,role}}.</li>
 * </ul>
 *
 * Writes that touch several keys, and the world's read, are Lua scripts, so each is atomic: a reader sees the old
 * world or the new one, never a mix. The scripts compute the keys they touch, so this needs one Redis server (with
 * replicas if wanted), not Redis Cluster. Every call is bounded by the command timeout (and, when it has to connect
 * first, by as much again for the connect, which concurrent callers share rather than queue for); a Redis that is
 * down or stalls fails the call with {@link GlobalDbException} and the next call tries again.
 */
public final class RedisGlobalDb implements GlobalDb {
    /** How long a command or connect may take unless told otherwise; Lettuce's own default is 60 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** Where globaldb is unless told otherwise. */
    public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

    static final String WORLD = "world";
    static final String REGION_PREFIX = "world:";
    static final String PROCESSES = "process";
    static final String PROCESS_PREFIX = "process:";
    static final String USERS = "user";
    private static final String REPLACE_IT = "replace it with `switchboard globaldb import FILE`";
    private static final ObjectReader STORED_JSON = GlobalDbJson.MAPPER.reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** ARGV: region, ip, specs JSON, ... (an empty ip for a region without machines). */
    private static final String REPLACE_WORLD = """
            for _, key in ipairs(redis.call('HVALS', KEYS[1])) do redis.call('DEL', key) end
            redis.call('DEL', KEYS[1])
            for i = 1, #ARGV, 3 do
              local key = 'world:' .. ARGV[i]
              redis.call('HSET', KEYS[1], ARGV[i], key)
              if ARGV[i + 1] ~= '' then redis.call('HSET', key, ARGV[i + 1], ARGV[i + 2]) end
            end
            return 1
            """;

    /**
     * ARGV: the most bytes to return. Returns the bytes counted, then region, {ip, specs, ...}, region, ... as one
     * consistent read; only the count once the region names, IPs and specs add up to more, so a world too big to
     * take is never sent.
     */
    private static final String READ_WORLD = """
            local limit = tonumber(ARGV[1])
            local out = {0}
            local size = 0
            local regions = redis.call('HGETALL', KEYS[1])
            for i = 1, #regions, 2 do
              local machines = redis.call('HGETALL', regions[i + 1])
              size = size + #regions[i]
              for j = 1, #machines do size = size + #machines[j] end
              if size > limit then return {size} end
              table.insert(out, regions[i])
              table.insert(out, machines)
            end
            out[1] = size
            return out
            """;

    /** KEYS: record, set; ARGV: process key, pid, now. */
    private static final String RECORD_START = """
            redis.call('HINCRBY', KEYS[1], 'startcount', 1)
            redis.call('HSET', KEYS[1], 'pid', ARGV[2], 'lastupdate', ARGV[3])
            redis.call('SADD', KEYS[2], ARGV[1])
            return 1
            """;

    /** KEYS: record, set; ARGV: process key, then field, value pairs. */
    private static final String RECORD_FIELDS = """
            local fields = {}
            for i = 2, #ARGV do fields[i - 1] = ARGV[i] end
            redis.call('HSET', KEYS[1], unpack(fields))
            redis.call('SADD', KEYS[2], ARGV[1])
            return 1
            """;

    /** KEYS: set; returns key, {field, value, ...}, key, ... */
    private static final String READ_RECORDS = """
            local out = {}
            for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              table.insert(out, key)
              table.insert(out, redis.call('HGETALL', 'process:' .. key))
            end
            return out
            """;

    private final RedisClient client;
    private final RedisURI uri;
    private final Duration timeout;
    private final String where;
    private final int iterations;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}, as are the two below. */
    private StatefulRedisConnection<String, String> connection;
    /** The one connect attempt in flight, if any: every caller that needs a connection waits on this one. */
    private CompletableFuture<StatefulRedisConnection<String, String>> connecting;
    private boolean closed;

    private RedisGlobalDb(RedisClient client, RedisURI uri, Duration timeout, String where, int iterations) {
        this.client = client;
        this.uri = uri;
        this.timeout = timeout;
        this.where = where;
        this.iterations = iterations;
    }

    /** globaldb at {@code url} ({@code redis://[user:password@]host:port[/db]} or {@code rediss://...}). */
    public static RedisGlobalDb connect(String url) {
        return connect(url, DEFAULT_COMMAND_TIMEOUT, PasswordHash.DEFAULT_ITERATIONS);
    }

    /**
     * globaldb at {@code url} with every command and connect bounded by {@code commandTimeout}, and new passwords
     * hashed with {@code passwordIterations} (lower only in tests). Connects at the first call, so a Redis that is
     * down fails that call, not the construction.
     *
     * @throws IllegalArgumentException when {@code url} is not a Redis URL
     */
    public static RedisGlobalDb connect(String url, Duration commandTimeout, int passwordIterations) {
        RedisURI uri = parse(url);
        RedisURI timed = RedisURI.builder(uri).withTimeout(commandTimeout).build();
        RedisClient client = RedisClient.create(timed);
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                // Fail at once while disconnected rather than queue behind a reconnect.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build())
                .build());
        return new RedisGlobalDb(client, timed, commandTimeout, describe(uri), passwordIterations);
    }

    /** Parses a globaldb URL; the error never repeats a password. */
    public static RedisURI parse(String url) {
        if (url == null || !(url.startsWith("redis://") || url.startsWith("rediss://"))) {
            throw new IllegalArgumentException("globaldb is redis://[user:password@]host:port[/db] or rediss://..., got "
                    + (url == null ? "nothing" : Redact.userInfo(url)));
        }
        try {
            return RedisURI.create(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a Redis URL: " + Redact.userInfo(url));
        }
    }

    /** scheme://host:port/db, without credentials. */
    private static String describe(RedisURI uri) {
        return (uri.isSsl() ? "rediss" : "redis") + "://" + uri.getHost() + ":" + uri.getPort()
                + (uri.getDatabase() != 0 ? "/" + uri.getDatabase() : "");
    }


    /** Where this globaldb is, without credentials, for messages. */
    public String where() {
        return where;
    }

    /**
     * The connection, connecting first if need be. Connecting is asynchronous and shared: holding a lock around a
     * blocking connect made concurrent callers queue, each waiting out the connects of those before it.
     */
    private RedisCommands<String, String> redis() {
        CompletableFuture<StatefulRedisConnection<String, String>> pending;
        synchronized (lock) {
            if (closed) {
                throw new RedisException("closed");
            }
            if (connection != null && connection.isOpen()) {
                return connection.sync();
            }
            pending = connecting;
            if (pending == null) {
                pending = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
                connecting = pending;
                // After the assignment: a connect that already ended runs connected() at once, clearing it.
                pending.whenComplete(this::connected);
            }
        }
        try {
            return pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS).sync();
        } catch (TimeoutException e) {
            throw new RedisConnectionException("no connection within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RedisException re ? re
                    : new RedisConnectionException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("interrupted while connecting");
        }
    }

    /** The end of a connect attempt: keeps its connection (unless closed meanwhile) and lets the next call retry. */
    private void connected(StatefulRedisConnection<String, String> made, Throwable failure) {
        boolean discard;
        synchronized (lock) {
            connecting = null;
            discard = made != null && closed;
            if (made != null && !closed) {
                connection = made;
            }
        }
        if (discard) {
            made.closeAsync();
        }
    }

    /** Runs one call; any Redis failure (down, timed out, refused) becomes a {@link GlobalDbException}. */
    private <T> T call(String what, Function<RedisCommands<String, String>, T> action) {
        try {
            return action.apply(redis());
        } catch (RedisException e) {
            String cause = e.getMessage();
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                cause = t.getMessage() != null ? t.getMessage() : cause;
            }
            throw new GlobalDbException("globaldb " + where + ": " + what + " failed: " + cause, e);
        }
    }

    /**
     * The world, checked as an import checks a world file: anyone who can write Redis can write it, and the daemon
     * makes files, environments and command lines of it. The stored JSON is put together as the world file it
     * would be and read by {@link WorldFile}'s one reader, so the rules (and their strictness) are the import's.
     */
    @Override
    public World world() {
        List<Object> flat = call("reading the world", r -> r.eval(READ_WORLD, ScriptOutputType.MULTI,
                new String[] {WORLD}, Integer.toString(WorldFile.MAX_BYTES)));
        long size = (Long) flat.get(0);
        if (size > WorldFile.MAX_BYTES) {
            throw invalidWorld(": its region names, IPs and process specs add up to more than the "
                    + WorldFile.MAX_BYTES + " bytes a world file may have (" + size + " counted before stopping)");
        }
        ObjectNode regions = GlobalDbJson.MAPPER.createObjectNode();
        for (int i = 1; i + 1 < flat.size(); i += 2) {
            String region = (String) flat.get(i);
            @SuppressWarnings("unchecked")
            List<Object> machines = (List<Object>) flat.get(i + 1);
            ObjectNode byIp = regions.putObject(region);
            for (int j = 0; j + 1 < machines.size(); j += 2) {
                String ip = (String) machines.get(j);
                byIp.set(ip, storedJson((String) machines.get(j + 1), REGION_PREFIX + region + " field " + ip));
            }
        }
        try {
            return WorldFile.parse("globaldb", GlobalDbJson.MAPPER.writeValueAsBytes(regions));
        } catch (WorldFileException e) {
            throw invalidWorld(", " + e.problems().size() + " problem(s): "
                    + e.summary(WorldFileException.SUMMARY_PROBLEMS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** One stored value as JSON, read as strictly as a world file: a key given twice or trailing content is refused. */
    private JsonNode storedJson(String json, String at) {
        try {
            JsonNode node = STORED_JSON.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw invalidWorld(": " + LogText.printable(at) + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw invalidWorld(": " + LogText.printable(at + " holds malformed JSON: "
                    + e.getOriginalMessage()));
        }
    }

    /** One line for the router's log, the daemon's start and the CLI alike: what is wrong, and the way out. */
    private GlobalDbException invalidWorld(String why) {
        return new GlobalDbException("the world stored in globaldb " + where + " is invalid" + why + "; " + REPLACE_IT);
    }

    @Override
    public void replaceWorld(World world) {
        WorldFile.requireValid(world);
        List<String> args = new ArrayList<>();
        world.regions().forEach((region, machines) -> {
            if (machines.isEmpty()) {
                args.addAll(List.of(region, "", ""));
            }
            machines.forEach((ip, specs) -> args.addAll(List.of(region, ip, GlobalDbJson.writeSpecs(specs))));
        });
        call("replacing the world", r -> r.<Long>eval(REPLACE_WORLD, ScriptOutputType.INTEGER,
                new String[] {WORLD}, args.toArray(String[]::new)));
    }

    @Override
    public void putUser(String name, char[] password, Role role) {
        String json = StoredUser.of(password, role, iterations).toJson();
        call("writing user " + name, r -> r.hset(USERS, name, json));
    }

    @Override
    public Optional<Role> authenticate(String name, char[] password) {
        String json = call("reading user " + name, r -> r.hget(USERS, name));
        StoredUser user = json == null ? null : StoredUser.fromJson(name, json);
        return StoredUser.matches(user, password, iterations) ? Optional.of(user.role()) : Optional.empty();
    }

    @Override
    public List<UserEntry> users() {
        Map<String, String> all = call("reading users", r -> r.hgetall(USERS));
        List<UserEntry> list = new ArrayList<>();
        all.forEach((name, json) -> list.add(new UserEntry(name, StoredUser.fromJson(name, json).role())));
        list.sort(Comparator.comparing(UserEntry::name));
        return list;
    }

    @Override
    public void recordStart(ProcessKey key, long pid, long nowMillis) {
        call("recording the start of " + key, r -> r.<Long>eval(RECORD_START, ScriptOutputType.INTEGER,
                new String[] {PROCESS_PREFIX + key, PROCESSES}, key.toString(), Long.toString(pid),
                Long.toString(nowMillis)));
    }

    @Override
    public void recordAlive(ProcessKey key, long pid, JsonNode info, long nowMillis) {
        writeFields(key, "recording " + key + " alive", "info", info.toString(), "pid", Long.toString(pid),
                "lastupdate", Long.toString(nowMillis));
    }

    @Override
    public void recordState(ProcessKey key, String state) {
        writeFields(key, "recording the state of " + key, "state", state);
    }

    private void writeFields(ProcessKey key, String what, String... fieldValues) {
        String[] args = new String[fieldValues.length + 1];
        args[0] = key.toString();
        System.arraycopy(fieldValues, 0, args, 1, fieldValues.length);
        call(what, r -> r.<Long>eval(RECORD_FIELDS, ScriptOutputType.INTEGER,
                new String[] {PROCESS_PREFIX + key, PROCESSES}, args));
    }

    @Override
    public Optional<ProcessRecord> record(ProcessKey key) {
        Map<String, String> fields = call("reading the record of " + key, r -> r.hgetall(PROCESS_PREFIX + key));
        return fields.isEmpty() ? Optional.empty() : Optional.of(toRecord(key, fields));
    }

    @Override
    public List<ProcessRecord> records() {
        List<Object> flat = call("reading the process records",
                r -> r.eval(READ_RECORDS, ScriptOutputType.MULTI, new String[] {PROCESSES}));
        List<ProcessRecord> list = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            @SuppressWarnings("unchecked")
            List<Object> pairs = (List<Object>) flat.get(i + 1);
            if (pairs.isEmpty()) {
                continue; // named in the set, its hash deleted by hand
            }
            Map<String, String> fields = new HashMap<>();
            for (int j = 0; j + 1 < pairs.size(); j += 2) {
                fields.put((String) pairs.get(j), (String) pairs.get(j + 1));
            }
            ProcessKey key;
            try {
                key = ProcessKey.parse((String) flat.get(i));
            } catch (IllegalArgumentException e) {
                continue; // not ours: the set is shared with whoever else writes globaldb
            }
            list.add(toRecord(key, fields));
        }
        list.sort(Comparator.comparing(r -> r.key().toString()));
        return list;
    }

    private static ProcessRecord toRecord(ProcessKey key, Map<String, String> fields) {
        return new ProcessRecord(key, GlobalDbJson.readInfo(fields.get("info")), number(fields.get("pid")),
                number(fields.get("lastupdate")), number(fields.get("startcount")),
                fields.getOrDefault("state", ""));
    }

    private static long number(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> open;
        synchronized (lock) {
            closed = true;
            open = connection;
            connection = null;
        }
        if (open != null) {
            open.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
