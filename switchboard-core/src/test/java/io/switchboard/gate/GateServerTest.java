package io.switchboard.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.switchboard.api.Session;
import io.switchboard.api.SessionListener;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.api.Handlers;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.server.StandaloneServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real gate on loopback: TLS, WebSocket framing, slow readers, the admin endpoints. */
class GateServerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<String> disconnects = new CopyOnWriteArrayList<>();
    private StandaloneServer server;
    private SwitchboardClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(GateConfig.Builder gate, Handlers handlers, int adminPort) throws Exception {
        server = StandaloneServer.builder().gate(gate.host("127.0.0.1").port(0)).handlers(handlers)
                .adminPort(adminPort).sessionListener(new SessionListener() {
                    @Override
                    public void closed(Session session, String reason) {
                        disconnects.add(reason);
                    }
                }).build().start();
    }

    private static Handlers echo() {
        return new Handlers().request("t.e.echo", ctx -> ctx.body(JsonNode.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls", "wss"})
    void tlsForTcpAndWebSocket(String scheme) throws Exception {
        X509Bundle cert = new CertificateBuilder().subject("CN=localhost").addSanIpAddress("127.0.0.1")
                .addSanDnsName("localhost").setIsCertificateAuthority(true).buildSelfSigned();
        SslContext ssl = SslContextBuilder.forServer(cert.getKeyPair().getPrivate(), cert.getCertificate()).build();
        start(GateConfig.builder().sslContext(ssl), echo(), -1);
        client = SwitchboardClient.builder(URI.create(scheme + "://127.0.0.1:" + server.port()))
                .trustedCertificates(cert.getCertificate()).build();
        client.connect().get(10, TimeUnit.SECONDS);
        Response response = client.request("t.e.echo", Json.MAPPER.readTree("{\"secure\":true}"))
                .get(10, TimeUnit.SECONDS);
        assertThat(response.json().get("secure").asBoolean()).isTrue();

        // A plaintext client on a TLS-only port gets nowhere.
        try (RawPomeloSocket raw = new RawPomeloSocket(server.port(), 0)) {
            raw.send(RawPomeloSocket.pkg(1, "{\"sys\":{}}".getBytes(StandardCharsets.UTF_8)));
            assertThat(raw.in.read()).isEqualTo(-1);
        } catch (IOException expected) {
            // reset by the server: also nowhere
        }
    }

    @Test
    void anAnswerTooLargeForAPackageIsAnErrorAndTheConnectionCarriesOn() throws Exception {
        Handlers handlers = echo().request("t.e.huge", ctx -> new byte[PackageHeader.MAX_BODY_LENGTH]);
        start(GateConfig.builder().maxBodyLength(1024), handlers, -1);
        client = SwitchboardClient.builder(URI.create("tcp://127.0.0.1:" + server.port())).build();
        client.connect().get(10, TimeUnit.SECONDS);

        Response huge = client.request("t.e.huge", Json.MAPPER.readTree("{}")).get(10, TimeUnit.SECONDS);
        assertThat(huge.isError()).isTrue();
        assertThat(huge.json().get("code").asLong()).isEqualTo(HandlerErrors.ANSWER_TOO_LARGE.code());
        Response after = client.request("t.e.echo", Json.MAPPER.readTree("{\"still\":1}")).get(10, TimeUnit.SECONDS);
        assertThat(after.json().get("still").asInt()).isEqualTo(1);
        assertThat(disconnects).isEmpty();
    }

    @Test
    void slowReaderIsDisconnectedNotBufferedForever() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) '7');
        Handlers flood = new Handlers().notify("t.flood.go", ctx -> {
            // Bounded: at most 25 MiB, stopping as soon as the gate gives up on the client.
            for (int i = 0; i < 400 && ctx.session().isActive(); i++) {
                ctx.session().push("onFlood", chunk);
            }
        });
        start(GateConfig.builder().writeBufferWaterMarks(32 * 1024, 64 * 1024).maxPendingOutboundBytes(256 * 1024),
                flood, -1);
        try (RawPomeloSocket raw = new RawPomeloSocket(server.port(), 4096)) {
            raw.establish();
            raw.send(RawPomeloSocket.notifyPackage("t.flood.go", new byte[0]));
            // The client never reads again.
            await().atMost(WAIT).until(() -> disconnects.contains(KickReasons.SLOW_READER));
        }
        assertThat(server.gate().channels().size()).isZero();
    }

    @Test
    void aConnectionOverThePerAddressCapIsClosedAtOnce() throws Exception {
        start(GateConfig.builder().maxConnectionsPerIp(1), echo(), -1);
        try (RawPomeloSocket first = new RawPomeloSocket(server.port(), 0)) {
            first.establish();
            try (RawPomeloSocket second = new RawPomeloSocket(server.port(), 0)) {
                assertThat(second.in.read()).as("closed without a word").isEqualTo(-1);
            }
            first.send(RawPomeloSocket.requestPackage(1, "t.e.echo", "7".getBytes(StandardCharsets.UTF_8)));
            assertThat((int) first.read()[0]).as("the first one is served on").isEqualTo(4);
        }
        assertThat(server.gate().metrics().kicks(KickCode.IP_CONNECTION_LIMIT)).isEqualTo(1);
    }

    @Test
    void severalPackagesInOneWebSocketFrameAreAllRead() throws Exception {
        start(GateConfig.builder(), echo(), -1);
        try (RawPomeloSocket raw = new RawPomeloSocket(server.port(), 0)) {
            raw.send(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String headers = readHeaders(raw);
            assertThat(headers).startsWith("HTTP/1.1 101");
            raw.send(maskedBinaryFrame(RawPomeloSocket.pkg(1, "{\"sys\":{}}".getBytes(StandardCharsets.UTF_8))));
            assertThat((int) readFramedPackage(raw)[0]).isEqualTo(1);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            joined.writeBytes(RawPomeloSocket.pkg(2, new byte[0]));
            joined.writeBytes(RawPomeloSocket.requestPackage(1, "t.e.echo", "1".getBytes(StandardCharsets.UTF_8)));
            joined.writeBytes(RawPomeloSocket.requestPackage(2, "t.e.echo", "2".getBytes(StandardCharsets.UTF_8)));
            raw.send(maskedBinaryFrame(joined.toByteArray()));
            assertThat((int) readFramedPackage(raw)[0]).isEqualTo(3); // the heartbeat after the ack
            // Each answer comes in a frame of its own: [04 len][04 id][body].
            byte[] first = (byte[]) readFramedPackage(raw)[1];
            byte[] second = (byte[]) readFramedPackage(raw)[1];
            assertThat(new byte[] {first[1], first[2]}).containsExactly(1, '1');
            assertThat(new byte[] {second[1], second[2]}).containsExactly(2, '2');
        }
    }

    private static String readHeaders(RawPomeloSocket raw) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            sb.append((char) raw.in.readUnsignedByte());
        }
        return sb.toString();
    }

    /** A client-to-server binary frame: FIN, opcode 2, masked (clients must mask), 16-bit length at most. */
    private static byte[] maskedBinaryFrame(byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x82);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        return f.toByteArray();
    }

    /** Reads one server frame (unmasked) that must hold exactly one package. */
    private static Object[] readFramedPackage(RawPomeloSocket raw) throws IOException {
        int b0 = raw.in.readUnsignedByte();
        assertThat(b0).isEqualTo(0x82);
        int len = raw.in.readUnsignedByte();
        if (len == 126) {
            len = raw.in.readUnsignedShort();
        }
        byte[] payload = new byte[len];
        raw.in.readFully(payload);
        int bodyLength = ((payload[1] & 0xFF) << 16) | ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
        assertThat(payload.length).as("one package per frame").isEqualTo(4 + bodyLength);
        return new Object[] {(int) payload[0], java.util.Arrays.copyOfRange(payload, 4, payload.length)};
    }

    @Test
    void plainHttpOnTheClientPortGetsA404ThatSaysHowToConnect() throws Exception {
        start(GateConfig.builder(), echo(), -1);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("Pomelo client");
    }

    @Test
    void adminServesHealthAndPrometheusMetrics() throws Exception {
        start(GateConfig.builder(), echo(), 0);
        client = SwitchboardClient.builder(URI.create("ws://127.0.0.1:" + server.port())).build();
        client.connect().get(10, TimeUnit.SECONDS);
        client.request("t.e.echo", Json.MAPPER.readTree("1")).get(10, TimeUnit.SECONDS);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.adminPort();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode json = Json.MAPPER.readTree(health.body());
        assertThat(json.get("status").asText()).isEqualTo("UP");
        assertThat(json.get("sessions").asInt()).isEqualTo(1);
        await().atMost(WAIT).untilAsserted(() -> {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("switchboard_gate_connections 1.0");
            assertThat(metrics).containsPattern("switchboard_gate_messages_in_total [1-9]");
            assertThat(metrics).containsPattern("switchboard_gate_messages_out_total [1-9]");
            assertThat(metrics).contains("jvm_memory_used_bytes");
        });
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }
}
