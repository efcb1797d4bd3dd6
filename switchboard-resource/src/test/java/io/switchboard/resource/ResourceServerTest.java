package io.switchboard.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.admin.MalformedRequests;
import io.switchboard.testing.RawHttp;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.common.time.Ticker;
import io.switchboard.resource.internal.ConfigWatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code /v1} API on a real port, with a manual ticker: views, refusals, blocking watches, reload. */
class ResourceServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDEX = "X-Switchboard-Index";

    @TempDir
    Path dir;
    private final ManualTicker ticker = new ManualTicker();
    private final ExecutorService clientThread = Executors.newSingleThreadExecutor();
    private final HttpClient http = HttpClient.newBuilder().executor(clientThread)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private ServerSocket gate;
    private ResourceServer server;

    @BeforeEach
    void start() throws Exception {
        gate = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        TestConf.write(dir, gate.getLocalPort());
        server = ResourceServer.builder(dir).port(0).admin("127.0.0.1", -1).ticker(ticker).build().start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        gate.close();
        clientThread.shutdownNow();
    }

    @Test
    void modulesKvAndStatus() throws Exception {
        HttpResponse<String> modules = get("/v1/modules");
        assertThat(modules.statusCode()).isEqualTo(200);
        assertThat(modules.headers().firstValue(INDEX)).isPresent();
        JsonNode body = JSON.readTree(modules.body());
        assertThat(body.at("/modules/0/module").asText()).isEqualTo("gate");
        assertThat(body.at("/modules/0/dependencies/0").asText()).isEqualTo("group");
        assertThat(body.at("/modules/1/live").asInt()).isEqualTo(3);

        assertThat(json("/v1/kv/gate").at("/kv/timeout").asText()).isEqualTo("30");
        JsonNode status = json("/v1/status");
        assertThat(status.get("generation").asLong()).isEqualTo(1);
        assertThat(status.get("last_reload_error").isNull()).isTrue();
    }

    @Test
    void endpointsAreNearestFirstAndOnlyLive() throws Exception {
        JsonNode group = json("/v1/endpoints/group?idc=sz&set=s2");
        assertThat(group.get("endpoints")).extracting(endpoint -> endpoint.get("id").asText())
                .containsExactly("same_set", "same_idc", "far");
        assertThat(group.at("/endpoints/0/probed").asBoolean()).isFalse();
        assertThat(json("/v1/endpoints/group?idc=sh").get("endpoints"))
                .extracting(endpoint -> endpoint.get("id").asText()).containsExactly("far", "same_idc", "same_set");

        // The gate is probed: live once its first probe is answered (the first tick probes at once).
        await().atMost(Duration.ofSeconds(10)).until(() -> json("/v1/endpoints/gate").get("endpoints").size() == 1);
        JsonNode dependencies = json("/v1/dependencies/gate?idc=sz&set=s1");
        assertThat(dependencies.at("/dependencies/0/module").asText()).isEqualTo("group");
        assertThat(dependencies.at("/dependencies/0/endpoints")).extracting(endpoint -> endpoint.get("id").asText())
                .containsExactly("same_idc", "same_set", "far");
        JsonNode topology = json("/v1/topology");
        assertThat(topology.at("/modules/0/idcs/0/sets/0/endpoints/0/state").asText()).isEqualTo("up");
        assertThat(topology.at("/modules/1/idcs/0/idc").asText()).isEqualTo("sh");
    }

    @Test
    void unknownModulesAndPathsAre404AndBadParameters400() throws Exception {
        HttpResponse<String> unknown = get("/v1/kv/buddy");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("unknown module: buddy");
        assertThat(get("/v1/nothing").statusCode()).isEqualTo(404);
        assertThat(get("/v2/modules").statusCode()).isEqualTo(404);
        for (String bad : List.of("/v1/kv/gate?index=x", "/v1/kv/gate?index=-1", "/v1/kv/gate?index=1&wait=soon",
                "/v1/endpoints/group?set=s1")) {
            HttpResponse<String> response = get(bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").asText()).as(bad).isNotEmpty();
        }
    }

    @Test
    void foreignHostOriginAndWritesAreRefused() throws Exception {
        assertThat(raw("GET /v1/status HTTP/1.1\r\nHost: evil.example\r\n\r\n")).startsWith("HTTP/1.1 403");
        assertThat(raw("GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).startsWith("HTTP/1.1 200");
        HttpResponse<String> crossOrigin = http.send(HttpRequest.newBuilder(uri("/v1/status"))
                .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(crossOrigin.statusCode()).isEqualTo(403);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/v1/kv/gate"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri("/v1/kv/gate"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as("only the registry takes writes").isEqualTo(405);
        assertThat(raw("GET /v1/status?" + "x".repeat(5_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                .startsWith("HTTP/1.1 4");
    }

    @Test
    void requestsTheCodecCannotDecodeAreAnsweredWithTheirStatusAndClosed() throws Exception {
        try (RawHttp raw = new RawHttp()) {
            raw.malformedAreRefused(server.port(), "/v1/status", MalformedRequests.MAX_REQUEST_LINE,
                    MalformedRequests.MAX_HEADERS);
        }
    }

    @Test
    void theTopologyPageIsServedWithStrictHeadersUnderTheSameGuard() throws Exception {
        for (String path : List.of("/", "/ui/")) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'",
                            "frame-ancestors 'none'").doesNotContain("unsafe");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(page.body()).contains("<script src=\"/ui/topology.js\" defer></script>")
                    .doesNotContain("http://", "https://");
        }
        HttpResponse<String> script = get("/ui/topology.js");
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.body()).contains("/v1/topology?index=").contains("X-Switchboard-Index")
                .doesNotContain("innerHTML");
        assertThat(get("/ui/topology.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/v1/status").headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        HttpResponse<String> missing = get("/ui/../v1/status.html");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(raw("GET /ui/ HTTP/1.1\r\nHost: evil.example\r\n\r\n")).startsWith("HTTP/1.1 403");
        assertThat(raw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\n\r\n"))
                .startsWith("HTTP/1.1 403");
        assertThat(raw("POST /ui/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 405");
    }

    @Test
    void aWatchReturnsOnAChangeOfItsModuleOnly() throws Exception {
        HttpResponse<String> first = get("/v1/kv/gate");
        long index = Long.parseLong(first.headers().firstValue(INDEX).orElseThrow());
        long groupIndex = Long.parseLong(get("/v1/kv/group").headers().firstValue(INDEX).orElseThrow());
        CompletableFuture<HttpResponse<String>> gateWatch = getAsync("/v1/kv/gate?index=" + index + "&wait=60s");
        CompletableFuture<HttpResponse<String>> groupWatch = getAsync("/v1/kv/group?index=" + groupIndex + "&wait=60s");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.watches() == 2);

        TestConf.file(dir, "kv_gate.conf", TestConf.kv("gate", "45"));
        ticker.advance(ResourceServer.DEFAULT_RELOAD_EVERY);
        server.tick().sync();

        HttpResponse<String> changed = gateWatch.get(10, TimeUnit.SECONDS);
        assertThat(JSON.readTree(changed.body()).at("/kv/timeout").asText()).isEqualTo("45");
        assertThat(Long.parseLong(changed.headers().firstValue(INDEX).orElseThrow())).isGreaterThan(index);
        assertThat(groupWatch).isNotDone();
        assertThat(server.watches()).isEqualTo(1);
        assertThat(server.generation()).isEqualTo(2);
    }

    @Test
    void aWatchReturnsUnchangedWhenItsWaitEnds() throws Exception {
        long index = Long.parseLong(get("/v1/kv/group").headers().firstValue(INDEX).orElseThrow());
        CompletableFuture<HttpResponse<String>> watch = getAsync("/v1/kv/group?index=" + index + "&wait=10s");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.watches() == 1);

        ticker.advance(Duration.ofSeconds(9));
        server.tick().sync();
        assertThat(server.watches()).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(1));
        server.tick().sync();

        HttpResponse<String> timedOut = watch.get(10, TimeUnit.SECONDS);
        assertThat(timedOut.statusCode()).isEqualTo(200);
        assertThat(timedOut.headers().firstValue(INDEX)).contains(Long.toString(index));
        assertThat(JSON.readTree(timedOut.body()).at("/kv/max_users").asText()).isEqualTo("500");
    }

    @Test
    void aWatchOnEndpointsReturnsWhenAProbeTakesOneDown() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> json("/v1/endpoints/gate").get("endpoints").size() == 1);
        long index = Long.parseLong(get("/v1/endpoints/gate").headers().firstValue(INDEX).orElseThrow());
        CompletableFuture<HttpResponse<String>> watch = getAsync("/v1/endpoints/gate?index=" + index);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.watches() == 1);

        gate.close();
        // lose_time is 2: the first failure changes nothing, the second takes the gate down and answers the watch.
        probeRound();
        assertThat(server.watches()).isEqualTo(1);
        probeRound();

        assertThat(JSON.readTree(watch.get(10, TimeUnit.SECONDS).body()).get("endpoints")).isEmpty();
    }

    @Test
    void aBadFileKeepsTheLastGoodConfigAndShowsInStatus() throws Exception {
        TestConf.file(dir, "kv_gate.conf", "{ \"module\": \"gate\", \"kv_list\": [ { \"key\": \"timeout\" \"val\": \"1\" } ] }");
        ticker.advance(ResourceServer.DEFAULT_RELOAD_EVERY);
        server.tick().sync();

        JsonNode status = json("/v1/status");
        assertThat(status.get("generation").asLong()).isEqualTo(1);
        assertThat(status.at("/last_reload_error/0/file").asText()).isEqualTo("kv_gate.conf");
        assertThat(status.at("/last_reload_error/0/line").asInt()).isEqualTo(1);
        assertThat(status.at("/last_reload_error/0/column").asInt()).isEqualTo(53);
        assertThat(json("/v1/kv/gate").at("/kv/timeout").asText()).isEqualTo("30");
        assertThat(server.lastReloadErrors()).hasSize(1);

        TestConf.file(dir, "kv_gate.conf", TestConf.kv("gate", "60"));
        ticker.advance(ResourceServer.DEFAULT_RELOAD_EVERY);
        server.tick().sync();

        assertThat(json("/v1/status").get("last_reload_error").isNull()).isTrue();
        assertThat(json("/v1/status").get("generation").asLong()).isEqualTo(2);
        assertThat(json("/v1/kv/gate").at("/kv/timeout").asText()).isEqualTo("60");
    }

    @Test
    void manyParkedWatchesTakeNoThreads() throws Exception {
        int count = 500;
        // Every watch here comes from 127.0.0.1: room for them all under the per-IP cap.
        server.close();
        server = ResourceServer.builder(dir).port(0).admin("127.0.0.1", -1).ticker(ticker)
                .maxConnectionsPerIp(count + 10).build().start();
        long index = Long.parseLong(get("/v1/status").headers().firstValue(INDEX).orElseThrow());
        int threadsBefore = Thread.activeCount();
        List<CompletableFuture<HttpResponse<String>>> watches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            watches.add(getAsync("/v1/kv/gate?index=" + Long.MAX_VALUE / 2 + "&wait=60s"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.watches() == count);

        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 2);
        ticker.advance(Duration.ofSeconds(60));
        server.tick().sync();
        for (CompletableFuture<HttpResponse<String>> watch : watches) {
            assertThat(watch.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(index).isPositive();
    }

    @Test
    void aTickThatThrowsLeavesTheNextTicksRunning() throws Exception {
        // Reads of this ticker throw once when armed; with no request under way only the periodic tick reads it.
        AtomicBoolean armed = new AtomicBoolean();
        AtomicBoolean thrown = new AtomicBoolean();
        Ticker failingOnce = () -> {
            if (armed.compareAndSet(true, false)) {
                thrown.set(true);
                throw new IllegalStateException("a tick step fails once");
            }
            return ticker.nanoTime();
        };
        server.close();
        server = ResourceServer.builder(dir).port(0).admin("127.0.0.1", -1).ticker(failingOnce)
                .tickEvery(Duration.ofMillis(10)).build().start();
        armed.set(true);
        await().atMost(Duration.ofSeconds(10)).until(thrown::get);

        // Only the periodic tick from here on (no server.tick()): it still ends watches and reloads the directory.
        long index = Long.parseLong(get("/v1/kv/group").headers().firstValue(INDEX).orElseThrow());
        CompletableFuture<HttpResponse<String>> watch = getAsync("/v1/kv/group?index=" + index + "&wait=5s");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.watches() == 1);
        ticker.advance(Duration.ofSeconds(5));
        assertThat(watch.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        TestConf.file(dir, "kv_gate.conf", TestConf.kv("gate", "45"));
        ticker.advance(ResourceServer.DEFAULT_RELOAD_EVERY);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.generation() == 2);
        assertThat(json("/v1/kv/gate").at("/kv/timeout").asText()).isEqualTo("45");
    }

    @Test
    void aConfDirectoryThatStallsStallsNeitherTheApiNorTheTick() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stall = new AtomicBoolean();
        AtomicInteger looks = new AtomicInteger();
        AtomicReference<String> listedOn = new AtomicReference<>();
        ConfigWatcher.Lister slowDisk = conf -> {
            listedOn.set(Thread.currentThread().getName());
            if (stall.get()) {
                looks.incrementAndGet();
                stalled.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("never released");
                    }
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("the manager closed");
                }
            }
            return Files.newDirectoryStream(conf);
        };
        server.close();
        server = ResourceServer.builder(dir).port(0).admin("127.0.0.1", -1).ticker(ticker).lister(slowDisk)
                .build().start();
        long index = Long.parseLong(get("/v1/kv/group").headers().firstValue(INDEX).orElseThrow());

        stall.set(true);
        TestConf.file(dir, "kv_gate.conf", TestConf.kv("gate", "45"));
        ticker.advance(ResourceServer.DEFAULT_RELOAD_EVERY);
        var reloaded = server.tick();
        await().atMost(Duration.ofSeconds(10)).until(() -> stalled.getCount() == 0);

        // The loop answers requests, and its ticks end watches, while the directory's thread waits on the disk.
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(uri("/v1/status"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(status.body()).get("generation").asLong()).isEqualTo(1);
        CompletableFuture<HttpResponse<String>> watch = getAsync("/v1/kv/group?index=" + index + "&wait=1s");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.watches() == 1);
        ticker.advance(Duration.ofSeconds(1));
        var ticked = server.tick();
        assertThat(watch.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(reloaded).isNotDone();
        assertThat(ticked).as("a tick waits for the look under way").isNotDone();
        assertThat(looks.get()).as("one look at a time").isEqualTo(1);
        assertThat(listedOn.get()).startsWith("switchboard-resource-conf");

        release.countDown();
        reloaded.sync();
        ticked.sync();
        assertThat(server.generation()).isEqualTo(2);
        assertThat(json("/v1/kv/gate").at("/kv/timeout").asText()).isEqualTo("45");
    }

    private void probeRound() throws Exception {
        TestConf.probeRound(server, ticker, 1);
    }

    private URI uri(String path) {
        return URI.create(server.address() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return http.sendAsync(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Sends {@code request} as written (HttpClient will not send a foreign Host) and returns the status line. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
