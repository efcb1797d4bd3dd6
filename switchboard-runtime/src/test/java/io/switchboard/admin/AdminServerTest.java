package io.switchboard.admin;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static io.switchboard.testing.RawHttp.advanceUntil;
import static io.switchboard.testing.RawHttp.body;
import static io.switchboard.testing.RawHttp.closed;
import static io.switchboard.testing.RawHttp.readResponse;
import static io.switchboard.testing.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Admin HTTP's bounds on what one connection may hold, against a server in-process on a free loopback port with a
 * manual ticker: a peer that pipelines and never reads, a request sent a byte at a time, a connection that says
 * nothing, and requests the codec cannot decode.
 */
class AdminServerTest {
    /** Far more than socket buffers hold (4 MiB at most here), in fewer requests than the codec lets wait (128). */
    private static final int ANSWER_BYTES = 256 * 1_024;
    private static final int PIPELINED = 100;

    private final ManualTicker ticker = new ManualTicker();
    private final AtomicInteger served = new AtomicInteger();
    private final RawHttp raw = new RawHttp();
    private AdminServer server;

    private void start(AdminServer admin) throws InterruptedException {
        server = admin.ticker(ticker).route(HttpMethod.GET, "/big", request -> {
            served.incrementAndGet();
            return AdminResponse.text(HttpResponseStatus.OK, "x".repeat(ANSWER_BYTES));
        }).start();
    }

    private void start() throws InterruptedException {
        start(new AdminServer("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws IOException {
        raw.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPeerThatPipelinesAndNeverReadsIsNoLongerReadAndIsClosedAtTheDeadline() throws Exception {
        start();

        Duration waited = raw.pipelineUnread(server.port(), "GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                PIPELINED, ticker::advance, () -> server.connections() == 0);

        assertThat(waited).isBetween(WriteBackpressure.DEFAULT_DEADLINE,
                WriteBackpressure.DEFAULT_DEADLINE.plusSeconds(10));
        // Answered only while its answers were taken: socket buffers' worth, not all of them held in memory.
        assertThat(served.get()).isLessThan(PIPELINED / 2);
    }

    @Test
    void aRequestThatDoesNotArriveWholeInTimeIsAnswered408AndClosed() throws Exception {
        start();
        Socket slow = raw.connect(server.port());
        send(slow, "POST /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 8000\r\n\r\n{");

        // One more body byte at every step: each is traffic, and none of it extends the deadline.
        Duration waited = advanceUntil(ticker::advance, () -> {
            if (slow.getInputStream().available() > 0) {
                return true;
            }
            send(slow, "x");
            return false;
        });

        assertThat(waited).isBetween(RequestDeadline.DEFAULT_TIMEOUT, RequestDeadline.DEFAULT_TIMEOUT.plusSeconds(10));
        String answer = readResponse(slow);
        assertThat(answer).startsWith("HTTP/1.1 408").contains("application/json");
        assertThat(answer.toLowerCase(Locale.ROOT)).contains("connection: close");
        assertThat(body(answer)).isEqualTo("{\"error\":\"a request must arrive whole within 30 s\"}");
        assertThat(closed(slow)).isTrue();
    }

    @Test
    void aConnectionThatSaysNothingIsClosedWhenIdle() throws Exception {
        start(new AdminServer("127.0.0.1", 0)
                .limits(HttpPortLimits.ADMIN_DEFAULTS.withIdleTimeout(Duration.ofMillis(200))));
        Socket silent = raw.connect(server.port());
        await().until(() -> server.connections() == 1);

        assertThat(closed(silent)).isTrue();
        await().until(() -> server.connections() == 0);
    }

    @Test
    void requestsTheCodecCannotDecodeAreAnsweredWithTheirStatusAndClosed() throws Exception {
        start();
        raw.malformedAreRefused(server.port(), "/big", MalformedRequests.MAX_REQUEST_LINE,
                MalformedRequests.MAX_HEADERS);
        assertThat(served.get()).isZero();
    }

    @Test
    void connectionsOverTheCapsAreAnswered503UnreadAndClosedAndCounted() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        start(new AdminServer("127.0.0.1", 0).meters(meters)
                .limits(HttpPortLimits.ADMIN_DEFAULTS.withConnections(3, 2)));
        Socket first = raw.connect("127.0.0.2", server.port());
        raw.connect("127.0.0.2", server.port());
        await().until(() -> server.admitted() == 2);

        // A third from the same address: refused before its request is read, so the route never runs.
        Socket third = raw.connect("127.0.0.2", server.port());
        send(third, "GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        String answer = readResponse(third);
        assertThat(answer).startsWith("HTTP/1.1 503").contains("application/json");
        assertThat(answer.toLowerCase(Locale.ROOT)).contains("retry-after: 1").contains("connection: close");
        assertThat(body(answer)).isEqualTo(
                "{\"error\":\"the admin port has 2 connections open from 127.0.0.2: retry later\"}");
        assertThat(closed(third)).isTrue();

        // Another address may still come in, up to the cap in all.
        raw.connect("127.0.0.3", server.port());
        await().until(() -> server.admitted() == 3);
        Socket fourth = raw.connect("127.0.0.4", server.port());
        assertThat(readResponse(fourth)).startsWith("HTTP/1.1 503");
        assertThat(served.get()).isZero();
        assertThat(meters.get("switchboard.admin.refused").tag("cap", "per_ip").counter().count()).isEqualTo(1);
        assertThat(meters.get("switchboard.admin.refused").tag("cap", "total").counter().count()).isEqualTo(1);

        // A closed connection gives its place back.
        first.close();
        await().until(() -> server.admitted() == 2);
        Socket again = raw.connect("127.0.0.2", server.port());
        send(again, "GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(readResponse(again)).startsWith("HTTP/1.1 200");
        assertThat(server.admitted()).isEqualTo(3);
    }

    @Test
    void theDeadlinesAreTheConfiguredOnes() throws Exception {
        Duration requestTimeout = Duration.ofSeconds(5);
        Duration stalled = Duration.ofSeconds(7);
        start(new AdminServer("127.0.0.1", 0).limits(HttpPortLimits.ADMIN_DEFAULTS
                .withRequestTimeout(requestTimeout).withStalledReaderTimeout(stalled)));
        Socket slow = raw.connect(server.port());
        send(slow, "POST /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 8000\r\n\r\n{");

        Duration waited = advanceUntil(ticker::advance, () -> slow.getInputStream().available() > 0);

        assertThat(waited).isBetween(requestTimeout, requestTimeout.plusSeconds(5));
        assertThat(body(readResponse(slow))).isEqualTo("{\"error\":\"a request must arrive whole within 5 s\"}");
        await().until(() -> server.connections() == 0);

        Duration unread = raw.pipelineUnread(server.port(), "GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                PIPELINED, ticker::advance, () -> server.connections() == 0);
        assertThat(unread).isBetween(stalled, stalled.plusSeconds(5));
    }

    @Test
    void limitsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> HttpPortLimits.ADMIN_DEFAULTS.withConnections(0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpPortLimits.ADMIN_DEFAULTS.withRequestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
