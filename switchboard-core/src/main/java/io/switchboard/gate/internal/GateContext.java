package io.switchboard.gate.internal;

import io.switchboard.api.OnlineUsers;
import io.switchboard.gate.HttpFallback;
import io.switchboard.gate.Acceptor;
import io.switchboard.gate.ChannelMap;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.MessageListener;
import io.switchboard.gate.StateListener;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.RouteDictionary;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connection's handlers share: the configuration, the listeners, the channel map, the meters, and the
 * users sessions bind through ({@code null}: sessions bind on their own), and the route dictionary new handshakes
 * get (a cluster gate replaces it as nodes come and go; a session keeps the one it got); and the sessions parked for
 * a resume; the handshake answers, whose shared part is encoded once per dictionary; and the handshakes sessions keep,
 * one copy per distinct handshake.
 */
public record GateContext(GateConfig config, Acceptor acceptor, MessageListener messageListener,
                          StateListener stateListener, ChannelMap channelMap, GateMetrics metrics,
                          HttpFallback httpFallback, AtomicLong sessionIds,
                          AtomicReference<OnlineUsers> users, AtomicReference<RouteDictionary> dictionary,
                          ParkedSessions parked, HandshakeAnswers handshakeAnswers,
                          SharedHandshakes sharedHandshakes) {

    public GateContext(GateConfig config, Acceptor acceptor, MessageListener messageListener,
                       StateListener stateListener, ChannelMap channelMap, GateMetrics metrics,
                       HttpFallback httpFallback, AtomicLong sessionIds,
                       AtomicReference<OnlineUsers> users, AtomicReference<RouteDictionary> dictionary,
                       ParkedSessions parked) {
        this(config, acceptor, messageListener, stateListener, channelMap, metrics, httpFallback, sessionIds, users,
                dictionary, parked, new HandshakeAnswers((int) config.heartbeat().toSeconds()), new SharedHandshakes());
    }

    public long nextSessionId() {
        return sessionIds.incrementAndGet();
    }
}
