package io.switchboard.admin;

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
        start(new AdminServer("127.0.0.1", 0).idleTimeout(Duration.ofMillis(200)));
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
}
