package io.switchboard.daemon.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.admin.MalformedRequests;
import io.switchboard.admin.WriteBackpressure;
import io.switchboard.common.text.LogText;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.daemon.machine.ProcessState;
import io.switchboard.globaldb.GlobalDb;
import io.switchboard.globaldb.InMemoryGlobalDb;
import io.switchboard.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.switchboard.daemon.admin.TestWorld.LOCAL;
import static io.switchboard.daemon.admin.TestWorld.OTHER;
import static io.switchboard.daemon.admin.TestWorld.START;
import static io.switchboard.daemon.admin.TestWorld.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin API over real HTTP (the JDK's client) against a server in-process on a free loopback port. */
class AdminApiServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualTicker ticker = new ManualTicker();
    private final MutableClock clock = new MutableClock(START);
    private final FakeMachine machine = new FakeMachine();
    private final FakeRelay relay = new FakeRelay();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final RawHttp raw = new RawHttp();
    private InMemoryGlobalDb db;
    private AdminApiServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        start(AdminApiConfig.defaults("127.0.0.1", 0).withWatchPeriod(Duration.ofSeconds(30)));
    }

    private void start(AdminApiConfig config) throws Exception {
        start(config, UnaryOperator.identity());
    }

    /** Starts a server whose API sees globaldb through {@code view}. */
    private void start(AdminApiConfig config, UnaryOperator<GlobalDb> view) throws Exception {
        if (server != null) {
            server.close();
        }
        db = TestWorld.globalDb();
        CommandExecutor executor = new CommandExecutor(LOCAL, db, machine, relay, clock, Liveness.Rule.defaults());
        server = new AdminApiServer(config, executor, view.apply(db), machine, ticker).start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() throws IOException {
        raw.close();
        server.close();
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(String user, String password) throws Exception {
        return post("/api/login", JSON.createObjectNode().put("user", user).put("password", password).toString());
    }

    private String token(String user, String password) throws Exception {
        HttpResponse<String> response = login(user, password);
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response).get("token").asText();
    }

    private HttpResponse<String> command(String token, String line) throws Exception {
        return post("/api/command", JSON.createObjectNode().put("line", line).toString(),
                "Authorization", "Bearer " + token);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Test
    void aLoginGivesATokenAndAnHttpOnlyStrictCookieWithTheSameToken() throws Exception {
        HttpResponse<String> response = login("otto", "ottootto");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("user").asText()).isEqualTo("otto");
        assertThat(body.get("role").asText()).isEqualTo("operator");
        String token = body.get("token").asText();
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("switchboard_admin=" + token + ";").contains("HTTPOnly").contains("SameSite=Strict")
                .contains("Path=/");
        assertThat(response.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");

        JsonNode me = json(get("/api/me", "Authorization", "Bearer " + token));
        assertThat(me.get("user").asText()).isEqualTo("otto");
        assertThat(me.get("ip").asText()).isEqualTo(LOCAL);
        // A second login is another token.
        assertThat(token("otto", "ottootto")).isNotEqualTo(token);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
        HttpResponse<String> wrong = login("otto", "nope");
        HttpResponse<String> unknown = login("nobody", "nope");

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body()).isEqualTo("{\"error\":\"wrong user or password\"}");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void aNameGivenByThePeerCannotForgeALogLine() throws Exception {
        assertThat(login("otto\n12:00:00 INFO login: user=ada", "x").statusCode()).isEqualTo(401);
        assertThat(LogText.printable("otto\r\nforged\u0000")).isEqualTo("otto\\u000d\\u000aforged\\u0000");
    }

    @Test
    void aMalformedLoginIsABadRequest() throws Exception {
        assertThat(post("/api/login", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/api/login", "{\"user\":\"otto\"}").statusCode()).isEqualTo(400);
        assertThat(login("x".repeat(65), "p").statusCode()).isEqualTo(400);
        assertThat(json(post("/api/login", "[]")).get("error").asText()).contains("a login is");
    }

    @Test
    void failedLoginsAreThrottledUntilTheInjectedClockMovesOn() throws Exception {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES + 1; i++) {
            assertThat(login("otto", "wrong").statusCode()).isEqualTo(401);
        }

        HttpResponse<String> throttled = login("otto", "ottootto");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("1");
        assertThat(json(throttled).get("error").asText()).contains("too many failed logins");

        ticker.advance(Duration.ofSeconds(1));
        assertThat(login("otto", "wrong").statusCode()).isEqualTo(401);
        // Each failure past the free ones doubles the wait.
        ticker.advance(Duration.ofMillis(1_999));
        assertThat(login("otto", "ottootto").statusCode()).isEqualTo(429);
        ticker.advance(Duration.ofMillis(1));
        assertThat(login("otto", "ottootto").statusCode()).isEqualTo(200);
        // A success clears the name's count, not the address's: the next failure from here locks it again (4 s).
        assertThat(login("otto", "wrong").statusCode()).isEqualTo(401);
        assertThat(login("ann", "annann").statusCode()).isEqualTo(429);
        ticker.advance(Duration.ofSeconds(4));
        assertThat(login("otto", "ottootto").statusCode()).isEqualTo(200);
    }

    @Test
    void everyCallButTheLoginNeedsAValidToken() throws Exception {
        String stop = "{\"line\":\"stop 127.0.0.2 gate\"}";
        assertThat(post("/api/command", stop).statusCode()).isEqualTo(401);
        assertThat(post("/api/command", stop, "Authorization", "Bearer forged").statusCode()).isEqualTo(401);
        assertThat(get("/api/watch").statusCode()).isEqualTo(401);
        assertThat(get("/api/log?ip=127.0.0.2&name=gate").statusCode()).isEqualTo(401);
        assertThat(json(get("/api/me")).get("error").asText()).contains("log in");

        String token = token("otto", "ottootto");
        assertThat(post("/api/logout", "", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        assertThat(command(token, "stop 127.0.0.2 gate").statusCode()).isEqualTo(401);

        String expiring = token("otto", "ottootto");
        ticker.advance(AdminApiConfig.defaults("127.0.0.1", 0).sessionTtl());
        assertThat(command(expiring, "list world").statusCode()).isEqualTo(401);
        assertThat(machine.calls).isEmpty();
    }

    @Test
    void aRequestFromAnotherOriginOrForAnotherHostIsRefused() throws Exception {
        String token = token("otto", "ottootto");

        HttpResponse<String> crossSite = post("/api/command", "{\"line\":\"stop 127.0.0.2 gate\"}",
                "Authorization", "Bearer " + token, "Origin", "http://evil.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(json(crossSite).get("error").asText()).isEqualTo("cross-origin requests are refused");
        // The same host on another port is another origin.
        assertThat(post("/api/command", "{\"line\":\"list world\"}", "Authorization", "Bearer " + token,
                "Origin", "http://127.0.0.1:1").statusCode()).isEqualTo(403);
        assertThat(post("/api/login", "{\"user\":\"otto\",\"password\":\"ottootto\"}", "Origin",
                "http://evil.example").statusCode()).isEqualTo(403);

        String rebound = raw("GET /api/me HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n");
        assertThat(rebound).startsWith("HTTP/1.1 403").contains("this port answers its own host names only");
        assertThat(machine.calls).isEmpty();
    }

    @Test
    void aBrowserCallWithTheCookieMustBeSameOrigin() throws Exception {
        String cookie = "switchboard_admin=" + token("otto", "ottootto");
        String stop = "{\"line\":\"stop 127.0.0.2 gate\"}";

        HttpResponse<String> noOrigin = post("/api/command", stop, "Cookie", cookie);
        assertThat(noOrigin.statusCode()).isEqualTo(403);
        assertThat(json(noOrigin).get("error").asText()).contains("Origin");
        assertThat(machine.calls).isEmpty();

        HttpResponse<String> sameOrigin = post("/api/command", stop, "Cookie", cookie, "Origin", base);
        assertThat(sameOrigin.statusCode()).isEqualTo(200);
        assertThat(machine.calls).containsExactly("stop gate");
    }

    @Test
    void aViewersForgedStopIsRefusedWith403AndReachesNothing() throws Exception {
        String viewer = token("ann", "annann");

        HttpResponse<String> forged = command(viewer, "stop 127.0.0.2 gate");
        assertThat(forged.statusCode()).isEqualTo(403);
        JsonNode body = json(forged);
        assertThat(body.get("outcome").asText()).isEqualTo("FORBIDDEN");
        assertThat(body.get("error").asText()).contains("ann").contains("viewer").contains("stop 127.0.0.2 gate");
        assertThat(command(viewer, "kill 127.0.0.3 12").statusCode()).isEqualTo(403);
        assertThat(machine.calls).isEmpty();
        assertThat(relay.sent).isEmpty();
        // A viewer may list.
        assertThat(command(viewer, "list machine").statusCode()).isEqualTo(200);
    }

    @Test
    void anOperatorsCommandsRunHereAndThroughTheRouter() throws Exception {
        String operator = token("otto", "ottootto");
        relay.connected = java.util.Set.of(OTHER);

        JsonNode local = json(command(operator, "stop 127.0.0.2 gate"));
        assertThat(local.get("outcome").asText()).isEqualTo("OK");
        assertThat(local.get("exitCode").asInt()).isZero();
        assertThat(machine.calls).containsExactly("stop gate");

        JsonNode relayed = json(command(operator, "start 127.0.0.3 all"));
        assertThat(relayed.get("data").get("relayed").asText()).isEqualTo("start 127.0.0.3 all");
        assertThat(relay.sent).containsExactly("otto@127.0.0.3: start 127.0.0.3 all");

        HttpResponse<String> elsewhere = command(operator, "start 10.1.1.1 all");
        assertThat(elsewhere.statusCode()).isEqualTo(200);
        assertThat(json(elsewhere).get("outcome").asText()).isEqualTo("FAILED");
        assertThat(json(elsewhere).get("exitCode").asInt()).isEqualTo(1);

        HttpResponse<String> bad = command(operator, "reboot 127.0.0.2");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("outcome").asText()).isEqualTo("BAD_COMMAND");
        assertThat(json(bad).get("exitCode").asInt()).isEqualTo(2);
        assertThat(json(bad).get("error").asText()).contains("unknown command 'reboot'");
    }

    @Test
    void anOversizedBodyIsRefusedWith413() throws Exception {
        String token = token("otto", "ottootto");
        HttpResponse<String> response = post("/api/command", "{\"line\":\"" + "x".repeat(AdminApiServer.MAX_BODY)
                + "\"}", "Authorization", "Bearer " + token);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).contains("at most " + AdminApiServer.MAX_BODY);
    }

    @Test
    void connectionsOverTheCapPerAddressAreAnswered503() throws Exception {
        AdminApiConfig defaults = AdminApiConfig.defaults("127.0.0.1", 0).withWatchPeriod(Duration.ofSeconds(30));
        start(defaults.withLimits(defaults.limits().withConnections(10, 2)).withMaxWatchers(2));
        try (Socket a = new Socket("127.0.0.1", server.port()); Socket b = new Socket("127.0.0.1", server.port());
             Socket c = new Socket("127.0.0.1", server.port())) {
            c.setSoTimeout(10_000);
            String answer = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 503").contains("connections open");
            assertThat(a.isConnected() && b.isConnected()).isTrue();
        }
    }

    /** Starts a port that holds 4 connections, 2 per address. */
    private void startSmall() throws Exception {
        startSmall(UnaryOperator.identity());
    }

    private void startSmall(UnaryOperator<GlobalDb> view) throws Exception {
        AdminApiConfig defaults = AdminApiConfig.defaults("127.0.0.1", 0).withWatchPeriod(Duration.ofSeconds(30));
        start(defaults.withLimits(defaults.limits().withConnections(4, 2)), view);
    }

    /** {@code db} whose password checks wait, once entered, until {@code release} counts down. */
    private static GlobalDb slowLogins(GlobalDb db, CountDownLatch entered, CountDownLatch release) {
        return (GlobalDb) Proxy.newProxyInstance(GlobalDb.class.getClassLoader(), new Class<?>[] {GlobalDb.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("authenticate")) {
                        entered.countDown();
                        assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                    }
                    try {
                        return method.invoke(db, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A connection from {@code from}, once the port counts it: so the connections' order is the order opened. */
    private Socket counted(String from) throws Exception {
        int before = server.connections();
        Socket socket = raw.connect(from, server.port());
        await().until(() -> server.connections() == before + 1);
        return socket;
    }

    private static String rawLogin(Socket socket, String user, String password) throws IOException {
        String body = JSON.createObjectNode().put("user", user).put("password", password).toString();
        RawHttp.send(socket, "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        return RawHttp.readResponse(socket);
    }

    private static String rawMe(Socket socket, String token) throws IOException {
        RawHttp.send(socket, "GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\n\r\n");
        return RawHttp.readResponse(socket);
    }

    @Test
    void aPortFullOfIdleStrangersClosesTheOldestToLetAnOperatorLogIn() throws Exception {
        startSmall();
        Socket oldest = counted("127.0.0.2");
        Socket idle = counted("127.0.0.2");
        counted("127.0.0.3");
        counted("127.0.0.3");

        Socket operator = raw.connect("127.0.0.4", server.port());
        String login = rawLogin(operator, "otto", "ottootto");
        assertThat(login).startsWith("HTTP/1.1 200");
        String token = JSON.readTree(RawHttp.body(login)).get("token").asText();
        assertThat(RawHttp.closed(oldest)).isTrue();
        assertThat(server.evicted()).isEqualTo(1);
        assertThat(server.connections()).isEqualTo(4);
        // The operator's connection goes on; the other strangers were not touched.
        assertThat(rawMe(operator, token)).startsWith("HTTP/1.1 200");
        RawHttp.send(idle, "GET /console.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(RawHttp.readResponse(idle)).startsWith("HTTP/1.1 200");
    }

    @Test
    void aConnectionWhosePasswordIsBeingCheckedIsNotClosedForANewcomer() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        startSmall(db -> slowLogins(db, entered, release));
        Socket operator = counted("127.0.0.2");
        CompletableFuture<String> login = CompletableFuture.supplyAsync(() -> {
            try {
                return rawLogin(operator, "otto", "ottootto");
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        Socket stranger = counted("127.0.0.2");
        counted("127.0.0.3");
        counted("127.0.0.3");

        // The operator's connection is the oldest, but its login is being checked: the next oldest goes instead.
        Socket newcomer = raw.connect("127.0.0.4", server.port());
        await().until(() -> server.evicted() == 1);
        assertThat(RawHttp.closed(stranger)).isTrue();
        release.countDown();
        String answer = login.get(30, TimeUnit.SECONDS);
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(rawMe(operator, JSON.readTree(RawHttp.body(answer)).get("token").asText()))
                .startsWith("HTTP/1.1 200");
        RawHttp.send(newcomer, "GET /console.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(RawHttp.readResponse(newcomer)).startsWith("HTTP/1.1 200");
    }

    @Test
    void aPortFullOfAuthenticatedConnectionsAnswersANewcomer503() throws Exception {
        startSmall();
        // A login on the first, a request with its token on each of the others.
        Socket first = counted("127.0.0.2");
        String login = rawLogin(first, "ann", "annann");
        assertThat(login).startsWith("HTTP/1.1 200");
        String token = JSON.readTree(RawHttp.body(login)).get("token").asText();
        for (String from : List.of("127.0.0.2", "127.0.0.3", "127.0.0.3")) {
            assertThat(rawMe(counted(from), token)).startsWith("HTTP/1.1 200");
        }

        Socket newcomer = raw.connect("127.0.0.4", server.port());
        assertThat(RawHttp.untilClosed(newcomer)).startsWith("HTTP/1.1 503").contains("4 connections open");
        assertThat(server.evicted()).isZero();
        assertThat(rawMe(first, token)).startsWith("HTTP/1.1 200");
    }

    @Test
    void aNewcomerOverItsAddressCapClosesNobody() throws Exception {
        startSmall();
        Socket oldest = counted("127.0.0.2");
        counted("127.0.0.2");
        counted("127.0.0.3");
        counted("127.0.0.3");

        Socket third = raw.connect("127.0.0.2", server.port());
        assertThat(RawHttp.untilClosed(third)).startsWith("HTTP/1.1 503")
                .contains("2 connections open from 127.0.0.2");
        assertThat(server.evicted()).isZero();
        assertThat(server.connections()).isEqualTo(4);
        RawHttp.send(oldest, "GET /console.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(RawHttp.readResponse(oldest)).startsWith("HTTP/1.1 200");
    }

    @Test
    void aClientThatPipelinesAndNeverReadsIsNoLongerReadAndIsClosed() throws Exception {
        // Closed by the deadline on answers it does not take, or sooner, once more requests wait than the codec lets.
        Duration waited = raw.pipelineUnread(server.port(), "GET /console.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                6_000, ticker::advance, () -> server.connections() == 0);
        assertThat(waited).isLessThanOrEqualTo(WriteBackpressure.DEFAULT_DEADLINE.plusSeconds(10));
    }

    @Test
    void aWatchStreamThatIsNotReadIsSkippedAndClosedAtTheDeadline() throws Exception {
        String token = token("ann", "annann");
        Socket watcher = raw.unread(server.port());
        RawHttp.send(watcher, "GET /api/watch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\n\r\n");
        await().until(() -> server.watchers() == 1);
        int open = server.connections();

        // Many refreshes a step, so the socket buffers fill within a few steps; then the deadline runs.
        Duration waited = RawHttp.advanceUntil(ticker::advance, () -> {
            for (int i = 0; i < 500; i++) {
                server.refreshWatches();
            }
            return server.watchers() == 0;
        });
        assertThat(waited).isGreaterThanOrEqualTo(WriteBackpressure.DEFAULT_DEADLINE);
        await().until(() -> server.connections() == open - 1);
    }

    @Test
    void aLoginSentAByteAtATimeIsAnswered408AtTheRequestDeadline() throws Exception {
        Socket slow = raw.connect(server.port());
        RawHttp.send(slow, "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 8000\r\n\r\n{");

        // A body byte at every step resets the idle timer, never the request's deadline.
        Duration waited = RawHttp.advanceUntil(ticker::advance, () -> {
            if (slow.getInputStream().available() > 0) {
                return true;
            }
            RawHttp.send(slow, " ");
            return false;
        });

        Duration deadline = AdminApiConfig.defaults("127.0.0.1", 0).limits().requestTimeout();
        assertThat(waited).isBetween(deadline, deadline.plusSeconds(10));
        String answer = RawHttp.readResponse(slow);
        assertThat(answer).startsWith("HTTP/1.1 408").containsIgnoringCase("connection: close")
                .containsIgnoringCase("Content-Security-Policy");
        assertThat(JSON.readTree(RawHttp.body(answer)).get("error").asText())
                .isEqualTo("a request must arrive whole within 30 s");
        assertThat(RawHttp.closed(slow)).isTrue();
    }

    @Test
    void requestsTheCodecCannotDecodeAreAnsweredWithTheirStatusAndClosed() throws Exception {
        // As every refusal of this port, with its own headers.
        assertThat(raw.malformedAreRefused(server.port(), "/console.js", MalformedRequests.MAX_REQUEST_LINE,
                MalformedRequests.MAX_HEADERS))
                .allSatisfy(answer -> assertThat(answer).containsIgnoringCase("Content-Security-Policy"));
    }

    @Test
    void watchStreamsTheWorldViewAndEachRefresh() throws Exception {
        String token = token("ann", "annann");
        CompletableFuture<HttpResponse<Stream<String>>> stream = http.sendAsync(HttpRequest.newBuilder(
                URI.create(base + "/api/watch")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> response = stream.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        Iterator<String> lines = response.body().iterator();

        JsonNode first = nextEvent(lines);
        assertThat(first.get("outcome").asText()).isEqualTo("OK");
        assertThat(first.at("/data/regions/0/machines/0/processes/0/liveness").asText()).isEqualTo("stopped");

        machine.set("gate", "gate", ProcessState.RUNNING, 4242, START);
        TestWorld.alive(db, key("east", LOCAL, "gate"), 4242, 5, START);
        server.refreshWatches();
        JsonNode next = nextEvent(lines);
        assertThat(next.at("/data/regions/0/machines/0/processes/0/liveness").asText()).isEqualTo("alive");
        assertThat(next.at("/data/regions/0/machines/0/processes/0/sessions").asInt()).isEqualTo(5);
        assertThat(server.watchers()).isEqualTo(1);

        // A stream whose login ended is closed at the next refresh.
        post("/api/logout", "", "Authorization", "Bearer " + token);
        server.refreshWatches();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.watchers() == 0);
        response.body().close();
    }

    @Test
    void aSecondRequestOnAWatchStreamEndsItInsteadOfOpeningASecondStream() throws Exception {
        String token = token("ann", "annann");
        Socket socket = raw.connect(server.port());
        String watch = "GET /api/watch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        RawHttp.send(socket, watch + watch);

        String all = RawHttp.untilClosed(socket);
        assertThat(all.split("HTTP/1\\.1 ", -1)).hasSize(2); // one response head, and no second one in the stream
        await().until(() -> server.watchers() == 0);
    }

    private static JsonNode nextEvent(Iterator<String> lines) throws IOException {
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data: ")) {
                return JSON.readTree(line.substring("data: ".length()));
            }
        }
        throw new AssertionError("the watch stream ended");
    }

    @Test
    void theLogTailIsThisMachinesOnly() throws Exception {
        String token = token("ann", "annann");
        machine.logs.put("gate", List.of("one", "two", "three"));

        JsonNode tail = json(get("/api/log?ip=127.0.0.2&name=gate&lines=2", "Authorization", "Bearer " + token));
        assertThat(tail.get("lines")).extracting(JsonNode::asText).containsExactly("two", "three");

        HttpResponse<String> other = get("/api/log?ip=127.0.0.3&name=gate2", "Authorization", "Bearer " + token);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(json(other).get("error").asText()).contains("only on that machine's console");
        assertThat(get("/api/log?ip=127.0.0.2&name=../etc", "Authorization", "Bearer " + token).statusCode())
                .isEqualTo(400);
        assertThat(get("/api/log?ip=127.0.0.2&name=gate&lines=100000", "Authorization", "Bearer " + token)
                .statusCode()).isEqualTo(400);
    }

    @Test
    void theConsoleIsServedWithAStrictPolicy() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form id=\"login\"");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").doesNotContain("unsafe");
        assertThat(get("/console.js").headers().firstValue("Content-Type").orElseThrow()).contains("javascript");
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
