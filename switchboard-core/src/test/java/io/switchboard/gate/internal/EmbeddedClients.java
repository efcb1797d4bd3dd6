package io.switchboard.gate.internal;

import io.netty.channel.embedded.EmbeddedChannel;

import java.util.List;

/** Connections to a gate on EmbeddedChannels, for the pipeline tests. */
final class EmbeddedClients {
    private EmbeddedClients() {
    }

    /** A new client of the gate {@code initializer} builds, with a frozen clock, added to {@code clients}. */
    static EmbeddedChannel connect(GateChannelInitializer initializer, List<EmbeddedChannel> clients) {
        EmbeddedChannel client = new EmbeddedChannel();
        client.freezeTime();
        client.pipeline().addLast(initializer);
        clients.add(client);
        return client;
    }
}
