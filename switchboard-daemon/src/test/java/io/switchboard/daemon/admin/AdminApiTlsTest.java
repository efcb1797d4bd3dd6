package io.switchboard.daemon.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.globaldb.InMemoryGlobalDb;
import io.switchboard.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static io.switchboard.daemon.admin.TestWorld.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The admin port with TLS on, in-process on a free loopback port, with a certificate of a CA made for the test. */
class AdminApiTlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The first bytes of a TLS record carrying a ClientHello, and no more: a handshake begun and never finished. */
    private static final byte[] HANDSHAKE_BEGUN = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01};

    private final ManualTicker ticker = new ManualTicker();
    private final FakeMachine machine = new FakeMachine();
    private final RawHttp raw = new RawHttp();
    private AdminTlsFiles files;
    private InMemoryGlobalDb db;
    private AdminApiServer server;

    @BeforeEach
    void start() throws Exception {
        files = new AdminTlsFiles();
        server = server(files.tls()).start();
    }

    private AdminApiServer server(AdminTls tls) {
        db = TestWorld.globalDb();
        CommandExecutor executor = new CommandExecutor(LOCAL, db, machine, new FakeRelay(),
                new MutableClock(TestWorld.START), Liveness.Rule.defaults());
        return new AdminApiServer(AdminApiConfig.defaults("127.0.0.1", 0).withWatchPeriod(Duration.ofSeconds(30))
                .withTls(tls), executor, db, machine, ticker);
    }

    @AfterEach
    void stop() throws Exception {
        raw.close();
        server.close();
    }

    @Test
    void aLoginAndAnAuthenticatedCallWorkOverHttps() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(files.clientContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        String base = "https://127.0.0.1:" + server.port();

        HttpResponse<String> login = https.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"otto\",\"password\":\"ottootto\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        // The browser's cookie stays off plain-HTTP ports of the same host.
        assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure").contains("HTTPOnly");
        String token = JSON.readTree(login.body()).get("token").asText();

        HttpResponse<String> list = https.send(HttpRequest.newBuilder(URI.create(base + "/api/command"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"line\":\"stop " + LOCAL + " gate\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(list.body());
        assertThat(answer.get("outcome").asText()).isEqualTo("OK");
        assertThat(machine.calls).containsExactly("stop gate");
    }

    @Test
    void aPlainHttpRequestGetsNoHttpAnswerAndItsConnectionIsClosed() throws Exception {
        Socket plain = raw.connect(server.port());
        String login = "{\"user\":\"otto\",\"password\":\"ottootto\"}";
        RawHttp.send(plain, "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + login.length() + "\r\nConnection: close\r\n\r\n" + login);

        assertThat(RawHttp.untilClosed(plain)).doesNotContain("HTTP/");
        await().until(() -> server.connections() == 0);
    }

    @Test
    void aHandshakeNeverFinishedIsClosedAtTheDeadline() throws Exception {
        Socket stalled = raw.connect(server.port());
        stalled.getOutputStream().write(HANDSHAKE_BEGUN);
        stalled.getOutputStream().flush();

        assertClosedAtTheRequestDeadline(stalled);
    }

    @Test
    void aConnectionThatSaysNothingIsClosedAtTheSameDeadline() throws Exception {
        assertClosedAtTheRequestDeadline(raw.connect(server.port()));
    }

    /** The ticker moves a second at a time until the port lets {@code socket} go: after the request timeout. */
    private void assertClosedAtTheRequestDeadline(Socket socket) throws Exception {
        await().until(() -> server.connections() == 1);

        Duration waited = RawHttp.advanceUntil(ticker::advance, () -> server.connections() == 0);

        Duration deadline = AdminApiConfig.defaults("127.0.0.1", 0).limits().requestTimeout();
        assertThat(waited).isBetween(deadline, deadline.plusSeconds(10));
        assertThat(RawHttp.closed(socket)).isTrue();
    }

    @Test
    void unreadableTlsFilesStopTheStartWithTheirNames() throws Exception {
        Path missing = Path.of("no-such-admin-cert.pem");
        AdminApiServer broken = server(new AdminTls(missing, files.tls().privateKey()));
        try {
            assertThatThrownBy(broken::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("admin TLS").hasMessageContaining(missing.toString());
        } finally {
            broken.close();
        }
    }
}
