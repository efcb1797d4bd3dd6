package io.switchboard.resource;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.testing.RawHttp;
import io.switchboard.admin.HttpConnectionCaps;
import io.switchboard.admin.WriteBackpressure;
import io.switchboard.common.time.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

import static io.switchboard.testing.RawHttp.readResponse;
import static io.switchboard.testing.RawHttp.untilClosed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bounds on the {@code /v1} port's connections: the total cap and the per-IP cap (keep-alive connections and parked
 * watches count), refused with 503 and a JSON error then closed; the idle timeout on the manual ticker, which spares a
 * connection while its watch is parked and ends one whose request arrives slowly; and a client that pipelines without
 * reading its answers.
 */
class ApiConnectionLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final ManualTicker ticker = new ManualTicker();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RawHttp raw = new RawHttp();
    private ServerSocket gate;
    private ResourceServer server;

    @AfterEach
    void stop() throws IOException {
        raw.close();
        if (server != null) {
            server.close();
        }
        gate.close();
    }

    private void start(int total, int perIp) throws Exception {
        start(total, perIp, IDLE);
    }

    private void start(int total, int perIp, Duration idle) throws Exception {
        gate = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TestConf.write(dir, gate.getLocalPort());
        server = ResourceServer.builder(dir).port(0).admin("127.0.0.1", -1).ticker(ticker).meters(meters)
                .maxConnections(total).maxConnectionsPerIp(perIp).idleTimeout(idle).build().start();
    }

    @Test
    void theTotalCapCountsKeepAliveConnectionsAndParkedWatchesAndRefusesWith503() throws Exception {
        start(3, 100);
        Socket keptAlive = connect("127.0.0.1");
        assertThat(exchange(keptAlive, "/v1/status")).startsWith("HTTP/1.1 200");
        Socket watching = connect("127.0.0.1");
        send(watching, "/v1/kv/gate?index=1000000&wait=60s");
        Socket silent = connect("127.0.0.2");
        await().until(() -> server.connections() == 3 && server.watches() == 1);

        Socket refused = connect("127.0.0.3");
        String answer = untilClosed(refused);
        assertThat(answer).startsWith("HTTP/1.1 503").containsIgnoringCase("connection: close");
        assertThat(JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("error").asText())
                .isEqualTo("the /v1 port has 3 connections open: retry later");
        assertThat(answer).containsIgnoringCase("retry-after: 1");
        assertThat(meters.counter("switchboard.resource.api.refused", "cap", "total").count()).isEqualTo(1);
        assertThat(server.connections()).isEqualTo(3);

        // One leaves: the next is taken, and the others went on untouched.
        silent.close();
        await().until(() -> server.connections() == 2);
        assertThat(exchange(connect("127.0.0.3"), "/v1/status")).startsWith("HTTP/1.1 200");
        assertThat(exchange(keptAlive, "/v1/kv/gate")).startsWith("HTTP/1.1 200");
        assertThat(server.watches()).isEqualTo(1);
    }

    @Test
    void thePerIpCapRefusesOneAddressOnly() throws Exception {
        start(100, 2);
        Socket first = connect("127.0.0.1");
        Socket second = connect("127.0.0.1");
        await().until(() -> server.connections() == 2);

        String answer = untilClosed(connect("127.0.0.1"));
        assertThat(answer).startsWith("HTTP/1.1 503");
        assertThat(answer).contains("the /v1 port has 2 connections open from 127.0.0.1: retry later");
        assertThat(meters.counter("switchboard.resource.api.refused", "cap", "per_ip").count()).isEqualTo(1);
        // Another address is not concerned; the first two still work.
        assertThat(exchange(connect("127.0.0.2"), "/v1/status")).startsWith("HTTP/1.1 200");
        assertThat(exchange(first, "/v1/status")).startsWith("HTTP/1.1 200");
        assertThat(exchange(second, "/v1/status")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aFloodOfRefusalsIsCountedInFullButLoggedOnce() throws Exception {
        start(100, 1);
        Socket held = connect("127.0.0.1");
        await().until(() -> server.connections() == 1);
        Logger log = (Logger) LoggerFactory.getLogger(HttpConnectionCaps.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        log.setAdditive(false);
        try {
            for (int i = 0; i < 20; i++) {
                assertThat(untilClosed(connect("127.0.0.1"))).startsWith("HTTP/1.1 503");
            }
        } finally {
            log.detachAppender(lines);
            log.setAdditive(true);
        }
        assertThat(meters.counter("switchboard.resource.api.refused", "cap", "per_ip").count()).isEqualTo(20);
        // The refused peer decides how often this happens: one line per interval of the manager's ticker, not one each.
        assertThat(lines.list).singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
                .contains("/127.0.0.1:").contains("1 connections open from 127.0.0.1"));
        assertThat(exchange(held, "/v1/status")).startsWith("HTTP/1.1 200");
    }

    @Test
    void anIdleConnectionClosesAfterTheTimeoutButNotWhileItsWatchWaits() throws Exception {
        start(100, 100);
        Socket keptAlive = connect("127.0.0.1");
        Socket silent = connect("127.0.0.1");
        Socket watching = connect("127.0.0.1");
        assertThat(exchange(keptAlive, "/v1/status")).startsWith("HTTP/1.1 200");
        send(watching, "/v1/kv/gate?index=1000000&wait=" + (IDLE.toSeconds() + WAIT.toSeconds()) + "s");
        await().until(() -> server.connections() == 3 && server.watches() == 1);

        advance(IDLE.minusSeconds(1));
        assertThat(meters.counter("switchboard.resource.api.idle.closed").count()).isZero();
        assertThat(server.connections()).isEqualTo(3);
        advance(Duration.ofSeconds(1));
        assertThat(untilClosed(keptAlive)).isEmpty();
        assertThat(untilClosed(silent)).isEmpty();
        await().until(() -> server.connections() == 1);
        assertThat(server.watches()).isEqualTo(1);
        assertThat(meters.counter("switchboard.resource.api.idle.closed").count()).isEqualTo(2);

        // The watch's wait ends (the idle timeout after it): answered, then idle from its answer on.
        advance(WAIT);
        assertThat(readResponse(watching)).startsWith("HTTP/1.1 200");
        assertThat(server.connections()).isEqualTo(1);
        advance(IDLE);
        assertThat(untilClosed(watching)).isEmpty();
        await().until(() -> server.connections() == 0);
    }

    @Test
    void aClientThatPipelinesAndNeverReadsIsNoLongerReadAndIsClosed() throws Exception {
        // An idle timeout far off, so only the answers it does not take can close it.
        start(100, 100, Duration.ofHours(1));
        // Closed by the deadline on answers it does not take, or sooner, once more requests wait than the codec lets.
        Duration waited = raw.pipelineUnread(server.port(), "GET /ui/topology.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                8_000, ticker::advance, () -> server.connections() == 0);
        assertThat(waited).isLessThanOrEqualTo(WriteBackpressure.DEFAULT_DEADLINE.plusSeconds(10));
    }

    @Test
    void aRequestSentSlowlyIsClosedByTheIdleTimeoutThatRunsUntilItIsWhole() throws Exception {
        start(100, 100);
        Socket slow = connect("127.0.0.1");
        RawHttp.send(slow, "PUT /v1/registry/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 60000\r\n\r\n{");
        await().until(() -> server.connections() == 1);

        // The bytes that keep coming do not restart it: idle time runs from the last answer until a request is whole.
        for (int i = 0; i < IDLE.toSeconds() - 1; i++) {
            RawHttp.send(slow, " ");
            advance(Duration.ofSeconds(1));
        }
        assertThat(server.connections()).isEqualTo(1);
        advance(Duration.ofSeconds(1));
        assertThat(RawHttp.closed(slow)).isTrue();
        await().until(() -> server.connections() == 0);
    }

    private void advance(Duration by) throws Exception {
        ticker.advance(by);
        server.tick().sync();
    }

    private Socket connect(String from) throws IOException {
        return raw.connect(from, server.port());
    }

    private static void send(Socket socket, String path) throws IOException {
        RawHttp.send(socket, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }

    /** Sends a keep-alive GET and reads its whole response. */
    private static String exchange(Socket socket, String path) throws IOException {
        send(socket, path);
        return readResponse(socket);
    }
}
