package io.switchboard.resource;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.common.time.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bounds on the {@code /v1} port's connections: the total cap and the per-IP cap (keep-alive connections and parked
 * watches count), refused with 503 and a JSON error then closed; the idle timeout on the manual ticker, which spares a
 * connection while its watch is parked.
 */
class ApiConnectionLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final ManualTicker ticker = new ManualTicker();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Socket> sockets = new ArrayList<>();
    private ServerSocket gate;
    private ResourceServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
        gate.close();
    }

    private void start(int total, int perIp) throws Exception {
        gate = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TestConf.write(dir, gate.getLocalPort());
        server = ResourceServer.builder(dir).port(0).admin("127.0.0.1", -1).ticker(ticker).meters(meters)
                .maxConnections(total).maxConnectionsPerIp(perIp).idleTimeout(IDLE).build().start();
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
        assertThat(answer).contains("this address has 2 connections open to the /v1 port");
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
        Logger log = (Logger) LoggerFactory.getLogger("io.switchboard.resource.internal.ApiConnections");
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
                .contains("/127.0.0.1:").contains("this address has 1 connections open"));
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
        assertThat(readResponse(watching.getInputStream())).startsWith("HTTP/1.1 200");
        assertThat(server.connections()).isEqualTo(1);
        advance(IDLE);
        assertThat(untilClosed(watching)).isEmpty();
        await().until(() -> server.connections() == 0);
    }

    private void advance(Duration by) throws Exception {
        ticker.advance(by);
        server.tick().sync();
    }

    private Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Sends a keep-alive GET and reads its whole response. */
    private static String exchange(Socket socket, String path) throws IOException {
        send(socket, path);
        return readResponse(socket.getInputStream());
    }

    /** Reads one response: headers, then Content-Length bytes of body. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the headers: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Everything the server sends until it closes the connection (a read timeout fails the test). */
    private static String untilClosed(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
