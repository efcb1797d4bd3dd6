package io.switchboard.globaldb.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.switchboard.globaldb.GlobalDb;
import io.switchboard.globaldb.GlobalDbContractTest;
import io.switchboard.globaldb.GlobalDbException;
import io.switchboard.globaldb.GlobalDbJson;
import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessSpec;
import io.switchboard.globaldb.Role;
import io.switchboard.globaldb.World;
import io.switchboard.globaldb.WorldFile;
import io.switchboard.testing.FreePort;
import io.switchboard.testing.RedisServer;
import io.switchboard.testing.RedisServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The globaldb contract on a real redis-server, and what only Redis has: the layout, atomicity, failures, ACLs. */
class RedisGlobalDbTest extends GlobalDbContractTest {
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();
    private static RedisClient raw;
    private static StatefulRedisConnection<String, String> rawConnection;

    @BeforeAll
    static void connectRaw() {
        raw = RedisClient.create(redis.uri());
        rawConnection = raw.connect();
    }

    @AfterAll
    static void closeRaw() {
        if (rawConnection != null) {
            rawConnection.close();
            raw.shutdown();
        }
    }

    @Override
    protected GlobalDb newDb() {
        rawConnection.sync().flushall();
        return RedisGlobalDb.connect(redis.uri(), Duration.ofSeconds(2), ITERATIONS);
    }

    @Test
    void theKeysAreLaidOutAsDesignSection9Says() throws Exception {
        db.replaceWorld(new World(Map.of("east", Map.of("127.0.0.2", List.of(GATE)))));
        ProcessKey key = new ProcessKey("east", "127.0.0.2", "gate");
        db.recordStart(key, 42, 1_000);
        db.recordAlive(key, 42, GlobalDbJson.MAPPER.createObjectNode().put("sessions", 7), 2_000);
        db.recordState(key, "RUNNING");
        db.putUser("ann", "a-long-password".toCharArray(), Role.OPERATOR);

        RedisCommands<String, String> r = rawConnection.sync();
        assertThat(r.hgetall("world")).isEqualTo(Map.of("east", "world:east"));
        JsonNode specs = GlobalDbJson.MAPPER.readTree(r.hget("world:east", "127.0.0.2"));
        assertThat(specs.isArray()).isTrue();
        assertThat(specs.get(0).path("type").asText()).isEqualTo("gate");
        assertThat(specs.get(0).path("agentcount").asInt()).isEqualTo(2);
        assertThat(specs.get(0).has("cmd")).as("absent optional fields are left out").isFalse();
        assertThat(r.smembers("process")).isEqualTo(Set.of("east.127.0.0.2.gate"));
        Map<String, String> record = r.hgetall("process:east.127.0.0.2.gate");
        assertThat(record).containsEntry("pid", "42").containsEntry("lastupdate", "2000")
                .containsEntry("startcount", "1").containsEntry("state", "RUNNING");
        assertThat(GlobalDbJson.MAPPER.readTree(record.get("info")).path("sessions").asInt()).isEqualTo(7);
        JsonNode user = GlobalDbJson.MAPPER.readTree(r.hget("user", "ann"));
        assertThat(user.path("role").asText()).isEqualTo("operator");
        assertThat(user.path("salt").asText()).isNotEmpty();
        assertThat(user.path("hash").asText()).startsWith("pbkdf2-sha256$").doesNotContain("a-long-password");
    }

    @Test
    void aHandWrittenUserWithoutSaltOrHashIsAGlobalDbErrorNotALogin() {
        RedisCommands<String, String> r = rawConnection.sync();
        r.hset("user", "eve", "{\"role\":\"admin\"}");
        r.hset("user", "mal", "{\"hash\":\"pbkdf2-sha256$10000$AAAA\",\"role\":\"admin\"}");
        for (String name : List.of("eve", "mal")) {
            assertThatThrownBy(() -> db.authenticate(name, "anything-at-all".toCharArray()))
                    .isInstanceOf(GlobalDbException.class)
                    .hasMessageContaining("malformed entry of user " + name);
        }
    }

    /** Writes region east straight into Redis, as another tool could: machine IP, then its stored specs, .... */
    private static void storeEast(String... ipThenSpecs) {
        RedisCommands<String, String> r = rawConnection.sync();
        r.del("world", "world:east");
        r.hset("world", "east", "world:east");
        for (int i = 0; i < ipThenSpecs.length; i += 2) {
            r.hset("world:east", ipThenSpecs[i], ipThenSpecs[i + 1]);
        }
    }

    private static String spec(String name, String host, String port, String more) {
        return "{\"type\": \"cmd\", \"name\": \"" + name + "\", \"host\": \"" + host + "\", \"port\": " + port
                + ", \"cmd\": \"/bin/true\"" + more + "}";
    }

    @Test
    void aWorldWrittenStraightIntoRedisIsCheckedAsAnImportChecksAWorldFile() {
        storeEast("10.0.0.1", "[" + spec("tool", "10.0.0.1", "80", ", \"env\": {\"TZ\": \"UTC\"}") + "]");
        assertThat(db.world()).isEqualTo(world("east", "10.0.0.1", new ProcessSpec("cmd", "tool", "10.0.0.1", 80,
                null, "/bin/true", null, Map.of("TZ", "UTC"))));

        Map<String, String[]> refused = new LinkedHashMap<>();
        refused.put("$['east']['10.0.0.1'][0].name: the name 'all' is reserved (start IP all)",
                new String[] {"10.0.0.1", "[" + spec("all", "10.0.0.1", "80", "") + "]"});
        refused.put("$['east']['10.0.0.1'][0].env: 'SWITCHBOARD_X' is Switchboard's own variable",
                new String[] {"10.0.0.1", "[" + spec("tool", "10.0.0.1", "80", ", \"env\": {\"SWITCHBOARD_X\": \"1\"}")
                        + "]"});
        refused.put("$['east']['10.0.0.300']: '10.0.0.300' is not a machine inner IPv4 address",
                new String[] {"10.0.0.300", "[" + spec("tool", "10.0.0.1", "80", "") + "]"});
        refused.put("$['east']['10.0.0.1'][0].port: port 70000 is out of range 1-65535",
                new String[] {"10.0.0.1", "[" + spec("tool", "10.0.0.1", "70000", "") + "]"});
        // Which machine is read first is Redis's choice.
        refused.put("'][0].port: 10.0.0.1:80 is taken by east.10.0.0.",
                new String[] {"10.0.0.1", "[" + spec("tool", "10.0.0.1", "80", "") + "]",
                        "10.0.0.2", "[" + spec("tool", "10.0.0.1", "80", "") + "]"});
        // As strict as a file: a binding that coerced "80" to 80 would take it.
        refused.put("$['east']['10.0.0.1'][0].port: port is not a whole number",
                new String[] {"10.0.0.1", "[" + spec("tool", "10.0.0.1", "\"80\"", "") + "]"});
        refused.put("$['east']['10.0.0.1']: a machine is a list of process specs", new String[] {"10.0.0.1", "null"});
        refused.put("$['east']['10.0.0.1'][0]: a process spec is an object", new String[] {"10.0.0.1", "[null]"});
        refused.forEach((problem, stored) -> {
            storeEast(stored);
            assertThatThrownBy(db::world).as(problem).isInstanceOf(GlobalDbException.class)
                    .hasMessageStartingWith("the world stored in globaldb " + redis.uri() + " is invalid, 1 problem(s): ")
                    .hasMessageContaining(problem)
                    .hasMessageEndingWith("replace it with `switchboard globaldb import FILE`");
        });
    }

    @Test
    void aStoredValueThatIsNotOneJsonValueOrGivesAKeyTwiceIsMalformed() {
        storeEast("10.0.0.1", "[" + spec("tool", "10.0.0.1", "80", ", \"name\": \"all\"") + "]");
        assertThatThrownBy(db::world).isInstanceOf(GlobalDbException.class)
                .hasMessageContaining("world stored in globaldb " + redis.uri() + " is invalid: world:east field "
                        + "10.0.0.1 holds malformed JSON: Duplicate field 'name'");
        storeEast("10.0.0.1", "[] []");
        assertThatThrownBy(db::world).isInstanceOf(GlobalDbException.class)
                .hasMessageContaining("is invalid: world:east field 10.0.0.1 holds malformed JSON: Trailing token");
        storeEast("10.0.0.1", "");
        assertThatThrownBy(db::world).isInstanceOf(GlobalDbException.class)
                .hasMessage("the world stored in globaldb " + redis.uri() + " is invalid: world:east field 10.0.0.1 "
                        + "is empty; replace it with `switchboard globaldb import FILE`");

        // The field's name comes from Redis too: a line break in it stays out of the line.
        storeEast("10.0.0.1\nforged", "[");
        assertThatThrownBy(db::world).isInstanceOf(GlobalDbException.class)
                .hasMessageContaining("world:east field 10.0.0.1\\u000aforged holds malformed JSON")
                .hasMessageNotContaining("\n");
    }

    @Test
    void manyProblemsMakeOneBoundedLineWithTheirCount() {
        StringBuilder specs = new StringBuilder("[");
        for (int port = 1; port <= 8; port++) {
            specs.append(port == 1 ? "" : ", ").append(spec("all", "10.0.0.1", Integer.toString(port), ""));
        }
        storeEast("10.0.0.1", specs.append("]").toString());
        assertThatThrownBy(db::world).isInstanceOf(GlobalDbException.class)
                .hasMessageContaining("is invalid, 8 problem(s): ")
                .hasMessageContaining("$['east']['10.0.0.1'][4].name: the name 'all' is reserved")
                .hasMessageNotContaining("[5]")
                .hasMessageContaining("; and 3 more; ");

        // What the problems quote comes from Redis: a line break in it stays out of the line, a long one is cut.
        storeEast("10.0.0.1", "[" + spec("x\\n" + "y".repeat(5_000), "10.0.0.1", "1", "") + "]");
        rawConnection.sync().hset("world", "a\nb", "world:a\nb");
        GlobalDbException e = catchThrowableOfType(GlobalDbException.class, db::world);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getMessage()).contains("is invalid, 2 problem(s): ")
                .contains("$['a\\u000ab']: region 'a\\u000ab' is not")
                .contains("name 'x\\u000a" + "y".repeat(100))
                .doesNotContain("y".repeat(300))
                .doesNotContain("\n");
    }

    @Test
    void aStoredWorldLargerThanAWorldFileMayBeIsRefusedUnread() {
        // Two machines, each well under the cap, together over it.
        String half = "[" + spec("tool", "10.0.0.1", "80", ", \"args\": [\"" + "a".repeat(WorldFile.MAX_BYTES / 2)
                + "\"]") + "]";
        storeEast("10.0.0.1", half, "10.0.0.2", half.replace("10.0.0.1", "10.0.0.2"));
        assertThatThrownBy(db::world).isInstanceOf(GlobalDbException.class)
                .hasMessageStartingWith("the world stored in globaldb " + redis.uri() + " is invalid: its region names, "
                        + "IPs and process specs add up to more than the " + WorldFile.MAX_BYTES + " bytes");

        rawConnection.sync().hdel("world:east", "10.0.0.2");
        assertThat(db.world().machine("10.0.0.1").orElseThrow().process("tool").orElseThrow().args().get(0))
                .hasSize(WorldFile.MAX_BYTES / 2);
    }

    @Test
    void replacingTheWorldRemovesTheOldRegionKeys() {
        db.replaceWorld(world("old", "10.0.0.1", GATE));
        db.replaceWorld(world("new", "10.0.0.2", GATE));
        assertThat(rawConnection.sync().exists("world:old")).isZero();
        assertThat(rawConnection.sync().keys("world*")).containsExactlyInAnyOrder("world", "world:new");
    }

    @Test
    void readersSeeTheOldWorldOrTheNewOneNeverAMix() throws Exception {
        World a = new World(Map.of("r1", Map.of("10.0.0.1", List.of(at("10.0.0.1", GATE))),
                "r2", Map.of("10.0.0.2", List.of(at("10.0.0.2", GATE)))));
        World b = new World(Map.of("r3", Map.of("10.0.0.3", List.of(at("10.0.0.3", TOOL))),
                "r1", Map.of("10.0.0.4", List.of(at("10.0.0.4", TOOL)))));
        db.replaceWorld(a);
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (GlobalDb other = RedisGlobalDb.connect(redis.uri(), Duration.ofSeconds(2), ITERATIONS)) {
                for (int i = 0; i < 300; i++) {
                    other.replaceWorld(i % 2 == 0 ? b : a);
                }
            } finally {
                writing.set(false);
            }
        });
        int reads = 0;
        while (writing.get() || reads < 10) {
            assertThat(db.world()).isIn(a, b);
            reads++;
        }
        writer.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aRedisThatIsDownFailsEachCallClearlyAndSoon() {
        int port = FreePort.next();
        try (GlobalDb down = RedisGlobalDb.connect("redis://127.0.0.1:" + port, Duration.ofMillis(500), ITERATIONS)) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(down::world)
                    .isInstanceOf(GlobalDbException.class)
                    .hasMessageContaining("globaldb redis://127.0.0.1:" + port)
                    .hasMessageContaining("reading the world failed"));
        }
    }

    @Test
    void concurrentCallsToAServerThatNeverAnswersEachFailWithinTheTimeout() throws Exception {
        // Accepts TCP (the kernel completes the handshake from the backlog) but never says a word.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             GlobalDb db = RedisGlobalDb.connect("redis://127.0.0.1:" + silent.getLocalPort(), Duration.ofSeconds(1),
                     ITERATIONS)) {
            int callers = 8;
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Long>> elapsed = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    elapsed.add(pool.submit(() -> {
                        go.await();
                        long start = System.nanoTime();
                        assertThatThrownBy(db::world).isInstanceOf(GlobalDbException.class)
                                .hasMessageContaining("reading the world failed");
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    }));
                }
                go.countDown();
                for (Future<Long> f : elapsed) {
                    // One connect timeout (1 s) plus slack; queued one behind another the last took 8 s and more.
                    assertThat(f.get(30, TimeUnit.SECONDS)).as("ms until the call failed").isLessThan(3_000);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aRedisThatStallsTimesOut() {
        try (GlobalDb stalled = RedisGlobalDb.connect(redis.uri(), Duration.ofMillis(300), ITERATIONS)) {
            stalled.users(); // connected before the stall
            redis.freeze();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(stalled::users)
                        .isInstanceOf(GlobalDbException.class).hasMessageContaining("reading users failed"));
            } finally {
                redis.thaw();
            }
        }
    }

    @Test
    void anAclUserAndPasswordComeThroughTheUrlAndAreNeverRepeated() throws Exception {
        try (RedisServer acl = RedisServer.start("--user", "plane", "on", ">s3cret-acl", "~*", "&*", "+@all",
                "--user", "default", "off")) {
            String base = acl.uri().substring("redis://".length());
            try (GlobalDb ok = RedisGlobalDb.connect("redis://plane:s3cret-acl@" + base, Duration.ofSeconds(2),
                    ITERATIONS)) {
                ok.putUser("ann", "a-long-password".toCharArray(), Role.VIEWER);
                assertThat(ok.users()).extracting(GlobalDb.UserEntry::name).containsExactly("ann");
            }
            try (GlobalDb wrong = RedisGlobalDb.connect("redis://plane:wrong-pass@" + base, Duration.ofSeconds(2),
                    ITERATIONS)) {
                assertThatThrownBy(wrong::users).isInstanceOf(GlobalDbException.class)
                        .hasMessageNotContaining("wrong-pass");
            }
        }
    }

    @Test
    void onlyRedisUrlsAreTakenAndTheirPasswordsAreNotEchoed() {
        assertThatThrownBy(() -> RedisGlobalDb.connect("http://127.0.0.1:6379"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://");
        assertThatThrownBy(() -> RedisGlobalDb.parse("mysql://u:topsecret@h:1"))
                .hasMessageNotContaining("topsecret").hasMessageContaining("***@h:1");
    }
}
