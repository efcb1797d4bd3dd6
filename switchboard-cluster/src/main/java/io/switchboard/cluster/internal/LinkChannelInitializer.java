package io.switchboard.cluster.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.protocol.ClusterFrameDecoder;
import io.switchboard.cluster.protocol.ClusterFrameEncoder;
import io.switchboard.cluster.protocol.ClusterFrameLayout;
import io.switchboard.cluster.protocol.EnvelopeDecoder;
import io.switchboard.cluster.protocol.EnvelopeEncoder;

import java.util.function.IntSupplier;

/** The link pipeline: frames, envelopes, then the {@link LinkHandler}. The same on both ends. */
public final class LinkChannelInitializer extends ChannelInitializer<Channel> {
    private final IntSupplier selfNodeId;
    private final String selfType;
    private final LinkSettings settings;
    private final LinkListener listener;
    private final ClusterMetrics metrics;
    private final EnvelopeDecoder envelopeDecoder;
    private final EnvelopeEncoder envelopeEncoder = new EnvelopeEncoder();
    private final ClusterFrameEncoder frameEncoder = new ClusterFrameEncoder();

    public LinkChannelInitializer(IntSupplier selfNodeId, String selfType, LinkSettings settings,
                                  LinkListener listener, ClusterMetrics metrics) {
        this.selfNodeId = selfNodeId;
        this.selfType = selfType;
        this.settings = settings;
        this.listener = listener;
        this.metrics = metrics;
        this.envelopeDecoder = new EnvelopeDecoder(metrics.frameRejections());
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("frameDecoder", new ClusterFrameDecoder(ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH,
                metrics.frameRejections()));
        p.addLast("envelopeDecoder", envelopeDecoder);
        p.addLast("frameEncoder", frameEncoder);
        p.addLast("envelopeEncoder", envelopeEncoder);
        p.addLast("link", new LinkHandler(selfNodeId, selfType, settings, listener, metrics));
    }
}
