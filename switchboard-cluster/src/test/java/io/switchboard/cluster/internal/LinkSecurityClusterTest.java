package io.switchboard.cluster.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.switchboard.api.Handlers;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.cluster.ClusterGate;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.LinkSecurity;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.LinkTls;
import io.switchboard.cluster.ServiceNode;
import io.switchboard.cluster.protocol.ClusterEnvelope;
import io.switchboard.cluster.protocol.ClusterFrameEncoder;
import io.switchboard.cluster.protocol.EnvelopeEncoder;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.FrameRejectReason;
import io.switchboard.cluster.protocol.FrameRejectionCounter;
import io.switchboard.cluster.protocol.LinkProof;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.common.port.PortPlan;
import io.switchboard.demo.DemoApp;
import io.switchboard.gate.GateConfig;
import io.switchboard.protocol.Json;
import io.switchboard.registry.MemoryRegistry;
import io.switchboard.transport.Transports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A gate and a demo node on the in-memory registry with authenticated links, and peers on the gate's cluster port
 * that try to pass for a node: with no or a wrong proof, with the secret but a live node's id, with an id the
 * registry does not list, without a client certificate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkSecurityClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    private static final LinkSecurity SECURITY = LinkSecurity.secret("link-security-cluster-test-secret");
    private static final String NODE_TYPE = "demo";
    /** A node id no test registers. */
    private static final int UNLISTED_NODE_ID = 1000;

    private final MemoryRegistry registry = new MemoryRegistry();
    private final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());
    private final LinkSettings settings = LinkSettings.defaults()
            .withReconnect(Duration.ofMillis(50), Duration.ofMillis(500))
            .withAuthTimeout(Duration.ofSeconds(2));
    /** Impostors wait longer than the gate, so the gate's refusal is what ends their links. */
    private final LinkSettings impostorSettings = settings.withAuthTimeout(WAIT);
    private final EventLoopGroup impostors = Transports.newGroup(1, "impostor");
    private ClusterGate gate;
    private ServiceNode node;
    /** The node's closed links once it was linked: impostors must not add any. */
    private long closedBefore;

    @AfterEach
    void tearDown() throws Exception {
        List<AutoCloseable> all = new ArrayList<>(closeables);
        Collections.reverse(all);
        for (AutoCloseable closeable : all) {
            closeable.close();
        }
        impostors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        registry.close();
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private ClusterGate newGate(LinkSecurity security) throws Exception {
        return closeLater(ClusterGate.builder(registry).id("gate-1")
                .gate(GateConfig.builder().host("127.0.0.1").port(0))
                .cluster("127.0.0.1", 0)
                .admin("127.0.0.1", -1)
                .linkSettings(settings)
                .linkSecurity(security)
                .exitHandler(status -> { })
                .build()).start();
    }

    private ServiceNode newNode(LinkSecurity security) throws Exception {
        return closeLater(ServiceNode.builder(registry, NODE_TYPE, DemoApp.register(new Handlers()))
                .id("demo-1")
                .workerThreads(2)
                .admin("127.0.0.1", -1)
                .loadInterval(Duration.ZERO)
                .linkSettings(settings)
                .linkSecurity(security)
                .exitHandler(status -> { })
                .build()).start();
    }

    /** Starts the gate and the node with {@code security} and waits until they are linked. */
    private void startLinked(LinkSecurity security) throws Exception {
        gate = newGate(security);
        node = newNode(security);
        await().atMost(WAIT).until(() -> node.isReady() && gate.linkedNodes().contains(node.nodeId()));
        closedBefore = linksClosed();
    }

    private long linksClosed() {
        return Arrays.stream(LinkCloseReason.values()).mapToLong(node.metrics()::linksClosed).sum();
    }

    /** The node's link is the one it had before, and clients are still served through it. */
    private void assertNodeKeptItsLink() throws Exception {
        assertThat(gate.linkedNodes()).containsExactly(node.nodeId());
        assertThat(node.metrics().activeLinks()).isEqualTo(1);
        assertThat(linksClosed()).as("the node's links closed").isEqualTo(closedBefore);
        SwitchboardClient client = SwitchboardClient.builder(URI.create("tcp://127.0.0.1:" + gate.port())).build();
        try {
            client.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Response echo = client.request("demo.echo.say", Json.MAPPER.readTree("{\"still\":\"here\"}"))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(echo.isError()).as("%s", echo).isFalse();
        } finally {
            client.close().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Says {@code envelopes} on a raw socket to the cluster port, then reads until the gate hangs up. */
    private static void sayRaw(int port, Envelope... envelopes) throws IOException {
        sayBytes(port, Arrays.stream(envelopes).map(EmbeddedLinks::encode).toList());
    }

    /** Says {@code frames}, with the headers as given, on a raw socket to the cluster port, until the gate hangs up. */
    private static void sayRawFrames(int port, ClusterEnvelope... frames) throws IOException {
        EmbeddedChannel encoder = new EmbeddedChannel(new ClusterFrameEncoder(), new EnvelopeEncoder());
        List<ByteBuf> bytes = new ArrayList<>();
        for (ClusterEnvelope frame : frames) {
            encoder.writeOutbound(frame);
            bytes.add(encoder.readOutbound());
        }
        encoder.finishAndReleaseAll();
        sayBytes(port, bytes);
    }

    /** Writes and releases {@code frames}, then reads until the gate hangs up. */
    private static void sayBytes(int port, List<ByteBuf> frames) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            for (ByteBuf frame : frames) {
                frame.readBytes(out, frame.readableBytes());
            }
            out.flush();
            readToTheEnd(socket);
        } finally {
            frames.forEach(ByteBuf::release);
        }
    }

    private static void readToTheEnd(Socket socket) {
        try {
            while (socket.getInputStream().read() >= 0) {
                // what the gate says is of no use to a peer that cannot prove anything
            }
        } catch (IOException reset) {
            // hung up on hard: closed all the same
        }
    }

    /** Dials the gate with the real link pipeline: a peer that holds the secret and says it is {@code nodeId}. */
    private Channel impostor(int nodeId, String type, EmbeddedLinks.RecordingListener listener)
            throws InterruptedException {
        LinkChannelInitializer pipeline = new LinkChannelInitializer(() -> nodeId, type, LinkRole.DIALER,
                impostorSettings, SECURITY, PeerCheck.ANY, listener, ClusterMetrics.inMemory());
        return new Bootstrap().group(impostors).channel(Transports.socketChannel()).handler(pipeline)
                .connect("127.0.0.1", gate.clusterPort()).sync().channel();
    }

    @Test
    void aPeerSayingHelloWithALiveNodesIdWithoutProvingTheSecretIsRefused() throws Exception {
        startLinked(SECURITY);
        int live = node.nodeId();

        sayRaw(gate.clusterPort(), Envelopes.hello(live, NODE_TYPE));
        sayRaw(gate.clusterPort(), Envelopes.hello(live, NODE_TYPE, LinkProof.newNonce(new SecureRandom())),
                Envelopes.auth(live, new byte[LinkProof.NONCE_BYTES]));

        await().atMost(WAIT).until(() -> gate.metrics().linksClosed(LinkCloseReason.AUTH_FAILED) == 2);
        assertNodeKeptItsLink();
    }

    @Test
    void framesWhoseHeaderDoesNotMatchTheirLinkAreRefusedAndCounted() throws Exception {
        startLinked(SECURITY);
        Envelope hello = Envelopes.hello(UNLISTED_NODE_ID, NODE_TYPE, LinkProof.newNonce(new SecureRandom()));

        // A node's HELLO in a frame that says a gate sent it; then one of another project.
        sayRawFrames(gate.clusterPort(), ClusterEnvelope.of(PortPlan.GATE, PortPlan.DEFAULT_PROJECT, 0, hello));
        sayRawFrames(gate.clusterPort(), ClusterEnvelope.of(PortPlan.SERVICE, PortPlan.DEFAULT_PROJECT + 1, 0, hello));

        FrameRejectionCounter rejected = gate.metrics().frameRejections();
        await().atMost(WAIT).until(() -> rejected.count(FrameRejectReason.WRONG_SERVICE_ID) == 1
                && rejected.count(FrameRejectReason.WRONG_APP_ID) == 1
                && gate.metrics().linksClosed(LinkCloseReason.BAD_FRAME) == 2);
        assertNodeKeptItsLink();
    }

    @Test
    void aSecondLinkClaimingALiveNodeIdIsRefusedEvenWithTheSecret() throws Exception {
        startLinked(SECURITY);
        EmbeddedLinks.RecordingListener impostorSide = new EmbeddedLinks.RecordingListener();

        Channel impostor = impostor(node.nodeId(), NODE_TYPE, impostorSide);

        assertThat(impostor.closeFuture().await(WAIT.toMillis())).as("hung up on").isTrue();
        await().atMost(WAIT).until(() -> gate.metrics().linksClosed(LinkCloseReason.DUPLICATE_LINK) == 1);
        assertThat(impostorSide.up).isEmpty();
        assertNodeKeptItsLink();
    }

    @Test
    void anAuthenticatedPeerTheRegistryDoesNotListIsRefused() throws Exception {
        startLinked(SECURITY);
        EmbeddedLinks.RecordingListener impostorSide = new EmbeddedLinks.RecordingListener();

        Channel unlisted = impostor(UNLISTED_NODE_ID, NODE_TYPE, impostorSide);
        Channel wrongType = impostor(node.nodeId(), "chat", impostorSide);

        assertThat(unlisted.closeFuture().await(WAIT.toMillis())).isTrue();
        assertThat(wrongType.closeFuture().await(WAIT.toMillis())).isTrue();
        await().atMost(WAIT).until(() -> gate.metrics().linksClosed(LinkCloseReason.PEER_UNKNOWN) == 2);
        assertThat(impostorSide.up).isEmpty();
        assertNodeKeptItsLink();
    }

    @Test
    void mutualTlsLinksTheNodeAndRefusesPeersWithoutACertificate() throws Exception {
        X509Bundle ca = new CertificateBuilder().subject("CN=switchboard-test-ca").setIsCertificateAuthority(true)
                .buildSelfSigned();
        X509Bundle member = new CertificateBuilder().subject("CN=cluster-member").addSanIpAddress("127.0.0.1")
                .addSanDnsName("localhost").buildIssuedBy(ca);
        LinkSecurity secured = SECURITY.withTls(new LinkTls(member.toTempCertChainPem().toPath(),
                member.toTempPrivateKeyPem().toPath(), ca.toTempRootCertPem().toPath()));
        startLinked(secured);

        // Trusts the cluster's CA, but has no certificate of its own to show.
        SSLContext noCertificate = SSLContext.getInstance("TLS");
        noCertificate.init(null, ca.toTrustManagerFactory().getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) noCertificate.getSocketFactory().createSocket("127.0.0.1",
                gate.clusterPort())) {
            socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
            try {
                socket.startHandshake();
            } catch (IOException refused) {
                // the gate's alert may end the handshake itself
            }
            readToTheEnd(socket);
        }
        // And one that does not speak TLS at all.
        sayRaw(gate.clusterPort(), Envelopes.hello(node.nodeId(), NODE_TYPE));

        await().atMost(WAIT).until(() -> gate.metrics().linksClosed(LinkCloseReason.TLS_FAILED) == 2);
        assertNodeKeptItsLink();
    }

    @Test
    void withoutSecretOrTlsAGateRefusesToBindItsClusterPortOffLoopback() {
        ClusterGate open = closeLater(ClusterGate.builder(registry).id("gate-open")
                .gate(GateConfig.builder().host("127.0.0.1").port(0))
                .cluster("0.0.0.0", 0)
                .admin("127.0.0.1", -1)
                .exitHandler(status -> { })
                .build());

        assertThatThrownBy(open::start).hasStackTraceContaining(LinkSecurity.SECRET_ENV);
        assertThat(registry.nodes()).as("never registered").isEmpty();
    }
}
