package io.switchboard.cluster.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkSecurity;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.LinkTls;
import io.switchboard.cluster.protocol.ClusterFrameDecoder;
import io.switchboard.cluster.protocol.ClusterFrameEncoder;
import io.switchboard.cluster.protocol.EnvelopeBatchEncoder;
import io.switchboard.cluster.protocol.EnvelopeDecoder;
import io.switchboard.cluster.protocol.EnvelopeEncoder;
import io.switchboard.cluster.protocol.FrameAddressCheck;
import io.switchboard.cluster.protocol.FrameAddressing;
import io.switchboard.cluster.protocol.LinkProof;

import javax.net.ssl.SSLException;
import java.io.UncheckedIOException;
import java.util.function.IntSupplier;

/**
 * The link pipeline, the same on both ends but for the role: TLS when configured, frames, envelopes (the small ones
 * batched per flush), the frame header check, flushes consolidated per read, the {@link LinkAuthenticator}, then the
 * {@link LinkHandler}.
 */
public final class LinkChannelInitializer extends ChannelInitializer<Channel> {
    /**
     * A link carries every session's traffic between two processes, in bursts of many envelopes per flush: it counts
     * as saturated ({@link Link#isSaturated}) when megabytes wait, not at Netty's 64 KiB, sized for one connection.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

    private final IntSupplier selfNodeId;
    private final String selfType;
    private final LinkRole role;
    private final LinkSettings settings;
    private final LinkSecurity security;
    private final LinkProof proof;
    private final SslContext tls;
    private final PeerCheck peers;
    private final LinkListener listener;
    private final ClusterMetrics metrics;
    private final EnvelopeDecoder envelopeDecoder;
    /** The header fields and hop clock of every link's envelopes; each link batches with an encoder of its own. */
    private final EnvelopeEncoder envelopeEncoder;
    private final ClusterFrameEncoder frameEncoder = new ClusterFrameEncoder();
    /** Shared by every link of this port, so a flood of failing links writes a line per reason and interval. */
    private final LinkCloseLog closeLog;

    /**
     * @param selfNodeId read at connect time: a node's id can change when its registration is restored
     * @param peers      who may link, asked once the peer proved itself
     * @throws UncheckedIOException when the TLS files cannot be read
     */
    public LinkChannelInitializer(IntSupplier selfNodeId, String selfType, LinkRole role, LinkSettings settings,
                                  LinkSecurity security, PeerCheck peers, LinkListener listener,
                                  ClusterMetrics metrics) {
        this.selfNodeId = selfNodeId;
        this.selfType = selfType;
        this.role = role;
        this.settings = settings;
        this.security = security;
        this.proof = security.secretKey().map(LinkProof::new).orElse(null);
        this.tls = security.tls().map(this::sslContext).orElse(null);
        this.peers = peers;
        this.listener = listener;
        this.metrics = metrics;
        this.closeLog = new LinkCloseLog(settings.ticker());
        this.envelopeDecoder = new EnvelopeDecoder(metrics.frameRejections());
        // Every envelope leaving this process gets its hop timestamp here, as it is encoded.
        this.envelopeEncoder = new EnvelopeEncoder(FrameAddressing.serviceId(selfType), settings.appId(),
                settings.clock());
    }

    private SslContext sslContext(LinkTls files) {
        try {
            return role == LinkRole.ACCEPTOR ? files.acceptorContext() : files.dialerContext();
        } catch (SSLException e) {
            throw new UncheckedIOException("cannot set up TLS for cluster links from " + files, e);
        }
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.config().setWriteBufferWaterMark(WATER_MARK);
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            DialedPeer dialed = ch.attr(DialedPeer.KEY).get();
            // A dialer names the host it dialed, so the acceptor's certificate is checked against it.
            p.addLast("tls", dialed == null ? tls.newHandler(ch.alloc())
                    : tls.newHandler(ch.alloc(), dialed.host(), dialed.port()));
        }
        // Small until the peer is authenticated (HELLO and AUTH are tens of bytes); the authenticator raises it.
        p.addLast("frameDecoder", new ClusterFrameDecoder(LinkAuthenticator.UNAUTHENTICATED_MAX_FRAME_LENGTH,
                metrics.frameRejections()));
        p.addLast("envelopeDecoder", envelopeDecoder);
        p.addLast("addressCheck", new FrameAddressCheck(settings.appId(), metrics.frameRejections()));
        p.addLast("frameEncoder", frameEncoder);
        // The small frames written between two flushes go out in one buffer.
        p.addLast("envelopeEncoder", new EnvelopeBatchEncoder(envelopeEncoder));
        // What handlers send on the link's own thread while it reads (answers of requests run right there) goes out
        // with one flush when the read completes, not one each, and so in one batch of the encoder before this; sends
        // from other threads flush once per task anyway.
        p.addLast("flushConsolidation", new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, false));
        p.addLast("authenticator", new LinkAuthenticator(selfNodeId, selfType, role, proof,
                security.authenticatesPeers(), peers, settings, closeLog));
        p.addLast("link", new LinkHandler(selfNodeId, settings, listener, metrics, closeLog));
    }
}
