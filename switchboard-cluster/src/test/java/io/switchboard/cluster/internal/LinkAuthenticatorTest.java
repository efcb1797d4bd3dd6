package io.switchboard.cluster.internal;

import com.google.protobuf.ByteString;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.cluster.protocol.ClusterFrameLayout;
import io.switchboard.cluster.protocol.ClusterFrameDecoder;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.LinkSecurity;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.LinkProof;
import io.switchboard.cluster.protocol.proto.Control;
import io.switchboard.cluster.protocol.proto.ControlType;
import io.switchboard.cluster.protocol.proto.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.switchboard.cluster.internal.EmbeddedLinks.GATE_ID;
import static io.switchboard.cluster.internal.EmbeddedLinks.link;
import static io.switchboard.cluster.internal.EmbeddedLinks.pump;
import static io.switchboard.cluster.internal.EmbeddedLinks.received;
import static io.switchboard.cluster.internal.EmbeddedLinks.say;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HELLO/AUTH exchange between in-memory pipelines: the secret's proof both ways, what an impostor, a replay or
 * a reflection gets, the registry's say, and the deadline on the ticker.
 */
class LinkAuthenticatorTest {
    private static final String SECRET = "link-authenticator-test-secret-5a7e";
    private static final LinkSecurity SECURITY = LinkSecurity.secret(SECRET);
    private static final int NODE_ID = 3;
    private static final String NODE_TYPE = "demo";
    private static final Duration PAST_THE_DEADLINE = Duration.ofMillis(100);

    private final EmbeddedLinks links = new EmbeddedLinks();
    private final LinkProof proof = new LinkProof(SECURITY.secretKey().orElseThrow());

    @AfterEach
    void tearDown() {
        links.close();
    }

    private EmbeddedChannel gate() {
        return links.gate(SECURITY, PeerCheck.ANY);
    }

    private EmbeddedChannel node() {
        return links.node(NODE_ID, NODE_TYPE, SECURITY, PeerCheck.ANY);
    }

    private static Control control(Envelope envelope) {
        return Envelopes.control(envelope);
    }

    /** The gate's HELLO, as a raw peer reads it on connect. */
    private static byte[] gateNonce(EmbeddedChannel gate, EmbeddedChannel raw) {
        pump(gate, raw);
        Envelope hello = received(raw).get(0);
        assertThat(control(hello).getType()).isEqualTo(ControlType.HELLO);
        return control(hello).getNonce().toByteArray();
    }

    private void assertRefused(EmbeddedChannel gate, LinkCloseReason reason) {
        assertThat(gate.isActive()).as("closed").isFalse();
        assertThat(links.gateMetrics.linksClosed(reason)).isEqualTo(1);
        assertThat(links.gateSide.up).as("never linked").isEmpty();
    }

    @Test
    void endsWithTheSecretProveItBothWaysAndLink() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = node();
        link(gate, node);

        assertThat(links.gateSide.up).singleElement().satisfies(link -> {
            assertThat(link.peerNodeId()).isEqualTo(NODE_ID);
            assertThat(link.peerType()).isEqualTo(NODE_TYPE);
        });
        assertThat(links.nodeSide.up).singleElement().satisfies(link -> assertThat(link.peerNodeId())
                .isEqualTo(GATE_ID));
        assertThat(gate.pipeline().get(LinkAuthenticator.class)).as("out of the way once done").isNull();
    }

    @Test
    void beforeItIsAuthenticatedAPeerCannotAnnounceALargeFrame() {
        EmbeddedChannel gate = gate();
        assertThat(gate.pipeline().get(ClusterFrameDecoder.class).maxFrameLength())
                .isEqualTo(LinkAuthenticator.UNAUTHENTICATED_MAX_FRAME_LENGTH);
        // Only a frame head announcing 64 KiB: refused at once, nothing buffered waiting for the rest.
        ByteBuf head = Unpooled.buffer(ClusterFrameLayout.VERSION_OFFSET)
                .writeShort(ClusterFrameLayout.HEAD).writeInt(64 * 1024);
        try {
            gate.writeInbound(head);
        } catch (RuntimeException refusedByTheDecoder) {
            // EmbeddedChannel rethrows what the pipeline saw; the link handler has closed the channel meanwhile.
        }
        assertThat(gate.isActive()).isFalse();
    }

    @Test
    void aLargeEnvelopeRightBehindTheAcceptorsAuthInOneReadReachesTheDialer() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = node();
        // HELLO both ways, then the node's AUTH: the gate lets it in and sends its own AUTH, not yet delivered.
        pump(gate, node);
        pump(node, gate);
        assertThat(links.gateSide.up).as("the gate linked on the node's AUTH").hasSize(1);
        Envelope large = Envelopes.push("demo.room.onChat", "u1", ByteString.copyFrom(
                new byte[4 * LinkAuthenticator.UNAUTHENTICATED_MAX_FRAME_LENGTH]));
        links.gateSide.up.get(0).send(large);

        // The gate's AUTH and the push arrive in one read, as TCP may well deliver them.
        CompositeByteBuf oneRead = Unpooled.compositeBuffer();
        for (ByteBuf buf; (buf = gate.readOutbound()) != null; ) {
            oneRead.addComponent(true, buf);
        }
        node.writeInbound(oneRead);

        assertThat(node.isActive()).as("not refused as a frame too large for an unauthenticated peer").isTrue();
        assertThat(links.nodeSide.up).hasSize(1);
        assertThat(links.nodeSide.received).singleElement().satisfies(envelope -> assertThat(
                Envelopes.payload(envelope).size()).isEqualTo(4 * LinkAuthenticator.UNAUTHENTICATED_MAX_FRAME_LENGTH));
    }

    @Test
    void onceAuthenticatedTheLinkTakesFullSizeFrames() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = node();
        link(gate, node);
        assertThat(gate.pipeline().get(ClusterFrameDecoder.class).maxFrameLength())
                .isEqualTo(ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH);
        assertThat(node.pipeline().get(ClusterFrameDecoder.class).maxFrameLength())
                .isEqualTo(ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH);
    }

    @Test
    void aPeerWithoutAProofOfTheSecretIsRefusedAndSeesNoProof() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel raw = links.raw();
        byte[] nonce = LinkProof.newNonce(new SecureRandom());
        gateNonce(gate, raw);

        say(raw, gate, Envelopes.hello(NODE_ID, NODE_TYPE, nonce));
        say(raw, gate, Envelopes.auth(NODE_ID, new byte[32]));

        assertRefused(gate, LinkCloseReason.AUTH_FAILED);
        pump(gate, raw);
        assertThat(received(raw)).as("the gate's AUTH goes to proven peers only").isEmpty();
    }

    @Test
    void aHelloWithoutANonceIsRefusedAtOnce() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel raw = links.raw();

        say(raw, gate, Envelopes.hello(NODE_ID, NODE_TYPE));

        assertRefused(gate, LinkCloseReason.AUTH_FAILED);
    }

    @Test
    void aNodeWithAnotherSecretIsRefused() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = links.node(NODE_ID, NODE_TYPE, LinkSecurity.secret("another-secret-of-the-same-size"),
                PeerCheck.ANY);
        link(gate, node);

        assertRefused(gate, LinkCloseReason.AUTH_FAILED);
        assertThat(links.nodeSide.up).isEmpty();
    }

    @Test
    void aSecretOnOneSideOnlyIsRefusedBothWays() {
        EmbeddedChannel securedGate = gate();
        EmbeddedChannel openNode = links.node(NODE_ID, NODE_TYPE, LinkSecurity.none(), PeerCheck.ANY);
        link(securedGate, openNode);
        assertRefused(securedGate, LinkCloseReason.AUTH_FAILED);

        EmbeddedChannel openGate = links.gate(LinkSecurity.none(), PeerCheck.ANY);
        EmbeddedChannel securedNode = node();
        link(openGate, securedNode);
        assertThat(openGate.isActive()).isFalse();
        assertThat(links.gateMetrics.linksClosed(LinkCloseReason.AUTH_FAILED)).isEqualTo(2);
        assertThat(links.gateSide.up).isEmpty();
    }

    @Test
    void aReplayedHelloAndAuthDoNotAuthenticateOnANewLink() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = node();
        EmbeddedChannel tap = links.raw();
        // A real exchange, with the node's frames recorded on the way.
        for (int moved = 1; moved > 0; ) {
            moved = 0;
            for (ByteBuf buf; (buf = node.readOutbound()) != null; moved++) {
                tap.writeInbound(buf.retainedDuplicate());
                gate.writeInbound(buf);
            }
            moved += pump(gate, node);
        }
        assertThat(links.gateSide.up).hasSize(1);
        List<Envelope> recorded = received(tap);
        assertThat(recorded).extracting(e -> control(e).getType()).containsExactly(ControlType.HELLO,
                ControlType.AUTH);

        EmbeddedChannel second = gate();
        EmbeddedChannel raw = links.raw();
        recorded.forEach(envelope -> say(raw, second, envelope));

        assertThat(second.isActive()).isFalse();
        assertThat(links.gateMetrics.linksClosed(LinkCloseReason.AUTH_FAILED)).isEqualTo(1);
        assertThat(links.gateSide.up).as("only the real link").hasSize(1);
    }

    @Test
    void aReflectedHelloIsRefused() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel raw = links.raw();
        pump(gate, raw);
        Envelope gateHello = received(raw).get(0);

        say(raw, gate, gateHello);

        assertRefused(gate, LinkCloseReason.AUTH_FAILED);
    }

    /** What a raw peer and the gate said: the peer's HELLO as node {@value #NODE_ID}, then its AUTH. */
    private record Exchange(EmbeddedChannel gate, EmbeddedChannel raw, byte[] nonce, byte[] gateNonce) {
    }

    /** A raw peer that holds the secret says HELLO as node {@value #NODE_ID}, then proves it as {@code role}. */
    private Exchange proveAs(LinkRole role, int nodeId) {
        EmbeddedChannel gate = gate();
        EmbeddedChannel raw = links.raw();
        byte[] gateNonce = gateNonce(gate, raw);
        byte[] nonce = LinkProof.newNonce(new SecureRandom());
        say(raw, gate, Envelopes.hello(NODE_ID, NODE_TYPE, nonce));
        say(raw, gate, Envelopes.auth(NODE_ID, proof.of(role.label(), nonce, gateNonce, nodeId, NODE_TYPE)));
        return new Exchange(gate, raw, nonce, gateNonce);
    }

    @Test
    void aProofMadeForTheOtherDirectionDoesNotVerify() {
        // Even with the secret at hand: what an acceptor would answer never passes for a dialer's proof.
        Exchange exchange = proveAs(LinkRole.ACCEPTOR, NODE_ID);

        assertRefused(exchange.gate(), LinkCloseReason.AUTH_FAILED);
    }

    @Test
    void aProofForTheDialersDirectionAndIdentityVerifies() {
        Exchange exchange = proveAs(LinkRole.DIALER, NODE_ID);

        assertThat(links.gateSide.up).hasSize(1);
        pump(exchange.gate(), exchange.raw());
        Control gateAuth = control(received(exchange.raw()).get(0));
        assertThat(gateAuth.getType()).isEqualTo(ControlType.AUTH);
        assertThat(proof.verify(gateAuth.getProof().toByteArray(), LinkRole.ACCEPTOR.label(), exchange.nonce(),
                exchange.gateNonce(), GATE_ID, "gate")).as("the gate's own proof").isTrue();
    }

    @Test
    void aProofForAnotherIdentityDoesNotVerify() {
        Exchange exchange = proveAs(LinkRole.DIALER, NODE_ID + 1);

        assertRefused(exchange.gate(), LinkCloseReason.AUTH_FAILED);
    }

    @Test
    void dataBeforeAuthenticationIsRefused() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel raw = links.raw();
        say(raw, gate, Envelopes.hello(NODE_ID, NODE_TYPE, LinkProof.newNonce(new SecureRandom())));

        say(raw, gate, Envelopes.request(1, "chat.user.login", "u", com.google.protobuf.ByteString.EMPTY));

        assertRefused(gate, LinkCloseReason.AUTH_FAILED);
        assertThat(links.gateSide.received).isEmpty();
    }

    @Test
    void aSilentPeerIsClosedAtTheAuthenticationDeadline() {
        EmbeddedChannel gate = gate();
        links.tick(gate, links.settings.authTimeout());
        assertThat(gate.isActive()).as("not before the deadline").isTrue();

        links.tick(gate, PAST_THE_DEADLINE);

        assertRefused(gate, LinkCloseReason.AUTH_TIMEOUT);
    }

    @Test
    void aPeerTheRegistryDoesNotListIsRefusedAtTheDeadlineWithoutTheGatesProof() {
        EmbeddedChannel gate = links.gate(SECURITY, (channel, peer) -> Optional.of(LinkCloseReason.PEER_UNKNOWN));
        EmbeddedChannel node = node();
        link(gate, node);
        assertThat(gate.isActive()).as("the registry may trail a registration").isTrue();
        assertThat(links.nodeSide.up).as("the gate has not answered").isEmpty();

        links.tick(gate, links.settings.authTimeout().plus(PAST_THE_DEADLINE));

        assertRefused(gate, LinkCloseReason.PEER_UNKNOWN);
    }

    @Test
    void aPeerTheRegistryListsALittleLateLinks() {
        AtomicBoolean listed = new AtomicBoolean();
        EmbeddedChannel gate = links.gate(SECURITY, (channel, peer) -> listed.get() ? Optional.empty()
                : Optional.of(LinkCloseReason.PEER_UNKNOWN));
        EmbeddedChannel node = node();
        link(gate, node);

        listed.set(true);
        links.tick(gate, PAST_THE_DEADLINE);
        link(gate, node);

        assertThat(links.gateSide.up).hasSize(1);
        assertThat(links.nodeSide.up).hasSize(1);
    }

    @Test
    void aDuplicateIsRefusedAtOnce() {
        EmbeddedChannel gate = links.gate(SECURITY, (channel, peer) -> Optional.of(LinkCloseReason.DUPLICATE_LINK));
        EmbeddedChannel node = node();
        link(gate, node);

        assertRefused(gate, LinkCloseReason.DUPLICATE_LINK);
        assertThat(links.nodeSide.up).isEmpty();
    }

    @Test
    void aNodeRefusesAGateTheRegistryDoesNotList() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = links.node(NODE_ID, NODE_TYPE, SECURITY,
                (channel, peer) -> Optional.of(LinkCloseReason.PEER_UNKNOWN));
        link(gate, node);

        assertThat(node.isActive()).isFalse();
        assertThat(links.nodeMetrics.linksClosed(LinkCloseReason.PEER_UNKNOWN)).isEqualTo(1);
        assertThat(links.nodeSide.up).isEmpty();
    }

    @Test
    void withoutASecretOrTlsAPeerOffLoopbackIsRefused() {
        EmbeddedChannel remote = new EmbeddedChannel(new LinkChannelInitializer(() -> GATE_ID, "gate",
                LinkRole.ACCEPTOR, links.settings, LinkSecurity.none(), PeerCheck.ANY, links.gateSide,
                links.gateMetrics)) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("192.0.2.10", 10301);
            }
        };
        try {
            assertThat(remote.isActive()).isFalse();
            assertThat(links.gateMetrics.linksClosed(LinkCloseReason.AUTH_FAILED)).isEqualTo(1);
        } finally {
            remote.finishAndReleaseAll();
        }
    }

    @Test
    void impostorsAtOnePortAreAllCountedButLoggedOncePerReasonAndInterval() {
        Logger logger = (Logger) LoggerFactory.getLogger(LinkAuthenticator.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        LinkChannelInitializer port = links.gatePort(SECURITY, PeerCheck.ANY);
        LinkSecurity wrong = LinkSecurity.secret(SECRET + "-wrong");
        try {
            for (int i = 0; i < 50; i++) {
                link(links.open(port), links.node(NODE_ID, NODE_TYPE, wrong, PeerCheck.ANY));
            }
            assertThat(links.gateMetrics.linksClosed(LinkCloseReason.AUTH_FAILED)).isEqualTo(50);
            assertThat(captured.list).hasSize(1);
            // Another reason has a window of its own: a silent connect still gets its line.
            links.tick(links.open(port), links.settings.authTimeout().plus(PAST_THE_DEADLINE));
            assertThat(captured.list).hasSize(2);
            assertThat(captured.list.get(1).getFormattedMessage()).contains("AUTH_TIMEOUT");

            link(links.open(port), links.node(NODE_ID, NODE_TYPE, wrong, PeerCheck.ANY));
            assertThat(captured.list).hasSize(2);
            assertThat(links.gateMetrics.linksClosed(LinkCloseReason.AUTH_FAILED)).isEqualTo(51);

            links.ticker.advance(LinkCloseLog.INTERVAL);
            link(links.open(port), links.node(NODE_ID, NODE_TYPE, wrong, PeerCheck.ANY));
            assertThat(captured.list).hasSize(3);
            assertThat(captured.list.get(2).getFormattedMessage()).contains("AUTH_FAILED")
                    .contains("50 more like it");
        } finally {
            logger.detachAppender(captured);
            logger.setLevel(null);
            logger.setAdditive(true);
        }
    }

    @Test
    void theSecretNeverShowsInTheLogs() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.switchboard");
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        logger.setLevel(Level.TRACE);
        try {
            link(gate(), node());
            link(gate(), links.node(NODE_ID, NODE_TYPE, LinkSecurity.secret(SECRET + "-wrong"), PeerCheck.ANY));
            links.tick(gate(), links.settings.authTimeout().plus(PAST_THE_DEADLINE));
        } finally {
            logger.detachAppender(captured);
            logger.setLevel(level);
        }
        List<String> lines = new ArrayList<>();
        captured.list.forEach(event -> {
            lines.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                lines.add(event.getThrowableProxy().getMessage());
            }
        });
        assertThat(lines).as("something was logged").isNotEmpty().noneMatch(line -> line != null
                && line.contains(SECRET));
        assertThat(SECURITY.toString()).doesNotContain(SECRET);
    }
}
