package io.switchboard.client;

import io.switchboard.client.testserver.TestServer;
import io.switchboard.client.testserver.TestServer.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code tls://} and {@code wss://} against a server with a self-signed certificate. */
@Timeout(value = 30, unit = SECONDS)
class SecureTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<TestServer> servers = new ArrayList<>();
    private final List<SwitchboardClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        clients.forEach(client -> assertThat(client.close()).succeedsWithin(WAIT));
        servers.forEach(TestServer::close);
    }

    private TestServer server(Transport transport) throws Exception {
        TestServer server = new TestServer(transport);
        servers.add(server);
        return server;
    }

    private SwitchboardClient client(SwitchboardClientBuilder builder) {
        SwitchboardClient client = builder.build();
        clients.add(client);
        return client;
    }

    private static void assertEchoes(SwitchboardClient client) throws Exception {
        Response response = client.request("echo.hi", "{\"secure\":true}".getBytes(StandardCharsets.UTF_8))
                .get(10, SECONDS);
        assertThat(response.bodyAsString()).isEqualTo("{\"secure\":true}");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TLS", "WSS"})
    void trustsTheGivenCertificateAndChecksTheHostName(Transport transport) throws Exception {
        TestServer server = server(transport);
        SwitchboardClient client = client(SwitchboardClient.builder(server.uri())
                .trustedCertificates(TestServer.certificate()));

        assertThat(client.connect()).succeedsWithin(WAIT);
        assertEchoes(client);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TLS", "WSS"})
    void insecureAcceptsASelfSignedServer(Transport transport) throws Exception {
        TestServer server = server(transport);
        SwitchboardClient client = client(SwitchboardClient.builder(server.uri()).insecure());

        assertThat(client.connect()).succeedsWithin(WAIT);
        assertEchoes(client);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TLS", "WSS"})
    void refusesAnUntrustedCertificate(Transport transport) throws Exception {
        TestServer server = server(transport);
        SwitchboardClient client = client(SwitchboardClient.builder(server.uri()));

        Throwable cause = assertThat(client.connect()).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).actual().getCause();

        assertThat(cause).isInstanceOf(SSLException.class);
        assertThat(server.handshakes()).isEmpty();
    }
}
