package io.switchboard.gate.internal;

import io.switchboard.gate.HttpFallback;
import io.switchboard.gate.Acceptor;
import io.switchboard.gate.ChannelMap;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.MessageListener;
import io.switchboard.gate.StateListener;
import io.switchboard.metrics.GateMetrics;

import java.util.concurrent.atomic.AtomicLong;

/** What every connection's handlers share: the configuration, the listeners, the channel map, the meters. */
public record GateContext(GateConfig config, Acceptor acceptor, MessageListener messageListener,
                          StateListener stateListener, ChannelMap channelMap, GateMetrics metrics,
                          HttpFallback httpFallback, AtomicLong sessionIds) {

    public long nextSessionId() {
        return sessionIds.incrementAndGet();
    }
}
