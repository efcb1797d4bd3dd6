package io.switchboard.admin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.runtime.ConnectionQuota;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The caps on channels that say where they come from; the ports' own tests run them over real sockets. */
class HttpConnectionCapsTest {
    private final ManualTicker ticker = new ManualTicker();
    private final List<ConnectionQuota.Cap> refused = new ArrayList<>();
    private final AtomicInteger evictions = new AtomicInteger();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeAll() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private HttpConnectionCaps evicting(int total, int perAddress) {
        return HttpConnectionCaps.evictingUnauthenticated("test port", total, perAddress, ticker, refused::add,
                evictions::incrementAndGet);
    }

    private EmbeddedChannel from(String address) {
        Peer peer = new Peer(new InetSocketAddress(address, 40_000 + channels.size()));
        channels.add(peer);
        return peer;
    }

    private EmbeddedChannel admitted(HttpConnectionCaps caps, String address) {
        EmbeddedChannel channel = from(address);
        assertThat(caps.admit(channel)).isTrue();
        return channel;
    }

    /**
     * Fills {@code caps} (of 2) from two addresses, the first connection authenticated and the second too when
     * {@code both}; then a newcomer from a third address must be refused over the total cap, closing neither.
     */
    private List<EmbeddedChannel> refusedOverTheTotal(HttpConnectionCaps caps, boolean both) {
        List<EmbeddedChannel> held = List.of(admitted(caps, "127.0.0.2"), admitted(caps, "127.0.0.3"));
        caps.authenticated(held.get(0));
        if (both) {
            caps.authenticated(held.get(1));
        }
        assertThat(caps.admit(from("127.0.0.4"))).isFalse();
        assertThat(refused).containsExactly(ConnectionQuota.Cap.TOTAL);
        assertThat(held).allMatch(EmbeddedChannel::isOpen);
        assertThat(caps.evicted()).isZero();
        return held;
    }

    @Test
    void aFullPortClosesItsOldestUnauthenticatedConnectionToAdmitANewcomer() {
        HttpConnectionCaps caps = evicting(4, 2);
        EmbeddedChannel operator = admitted(caps, "127.0.0.2");
        EmbeddedChannel idle = admitted(caps, "127.0.0.2");
        EmbeddedChannel idle2 = admitted(caps, "127.0.0.3");
        EmbeddedChannel idle3 = admitted(caps, "127.0.0.3");
        caps.authenticated(operator);

        Logger log = (Logger) LoggerFactory.getLogger(HttpConnectionCaps.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        log.setAdditive(false);
        try {
            // The oldest connection is an operator's: the next oldest goes instead.
            EmbeddedChannel newcomer = admitted(caps, "127.0.0.4");
            assertThat(operator.isOpen()).isTrue();
            assertThat(idle.isOpen()).isFalse();
            assertThat(idle2.isOpen() && idle3.isOpen() && newcomer.isOpen()).isTrue();
            assertThat(caps.open()).isEqualTo(4);

            // The newcomer's place was given it at once: the evicted one's close does not give it back again.
            admitted(caps, "127.0.0.4");
            assertThat(idle2.isOpen()).isFalse();
            assertThat(caps.open()).isEqualTo(4);
        } finally {
            log.detachAppender(lines);
            log.setAdditive(true);
        }
        assertThat(caps.evicted()).isEqualTo(2);
        assertThat(evictions).hasValue(2);
        assertThat(refused).isEmpty();
        // Whoever connects decides how often this happens: one line per interval, as for refusals.
        assertThat(lines.list).singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
                .contains("test port connection from /127.0.0.2:").contains("to admit one from /127.0.0.4:")
                .contains("no authenticated request"));

        channels.forEach(EmbeddedChannel::close);
        assertThat(caps.open()).isZero();
    }

    @Test
    void aConnectionWhoseLoginIsBeingCheckedIsSparedAndThenEvictableInItsOldPlace() {
        HttpConnectionCaps caps = evicting(3, 3);
        EmbeddedChannel checked = admitted(caps, "127.0.0.2");
        EmbeddedChannel idle = admitted(caps, "127.0.0.2");
        EmbeddedChannel idle2 = admitted(caps, "127.0.0.3");
        Runnable done = caps.checking(checked);

        admitted(caps, "127.0.0.4");
        assertThat(checked.isOpen()).isTrue();
        assertThat(idle.isOpen()).isFalse();

        // The check failed: the connection is the oldest evictable one again, and the handle counts once.
        done.run();
        done.run();
        admitted(caps, "127.0.0.4");
        assertThat(checked.isOpen()).isFalse();
        assertThat(idle2.isOpen()).isTrue();
        assertThat(caps.evicted()).isEqualTo(2);
    }

    @Test
    void withEveryEvictableConnectionBeingCheckedANewcomerIsRefused() {
        HttpConnectionCaps caps = evicting(2, 2);
        EmbeddedChannel operator = admitted(caps, "127.0.0.2");
        EmbeddedChannel checked = admitted(caps, "127.0.0.3");
        caps.authenticated(operator);
        caps.checking(checked);

        assertThat(caps.admit(from("127.0.0.4"))).isFalse();
        assertThat(refused).containsExactly(ConnectionQuota.Cap.TOTAL);
        assertThat(operator.isOpen() && checked.isOpen()).isTrue();
        assertThat(caps.evicted()).isZero();
    }

    @Test
    void withEveryConnectionAuthenticatedANewcomerIsRefusedAsBefore() {
        HttpConnectionCaps caps = evicting(2, 2);
        List<EmbeddedChannel> held = refusedOverTheTotal(caps, true);

        // An authenticated connection that closes gives its place back as any other.
        held.get(0).close();
        admitted(caps, "127.0.0.4");
        assertThat(caps.open()).isEqualTo(2);
    }

    @Test
    void aNewcomerOverItsAddressCapClosesNobody() {
        HttpConnectionCaps caps = evicting(4, 2);
        List<EmbeddedChannel> idle = List.of(admitted(caps, "127.0.0.2"), admitted(caps, "127.0.0.2"),
                admitted(caps, "127.0.0.3"), admitted(caps, "127.0.0.3"));

        // The port is full of evictable connections, but this address may not open another: refused for that.
        assertThat(caps.admit(from("127.0.0.2"))).isFalse();
        assertThat(refused).containsExactly(ConnectionQuota.Cap.PER_ADDRESS);
        assertThat(idle).allMatch(EmbeddedChannel::isOpen);
        assertThat(caps.evicted()).isZero();
        assertThat(evictions).hasValue(0);
        assertThat(caps.open()).isEqualTo(4);
    }

    @Test
    void capsThatDoNotEvictRefuseOverTheTotalAsBefore() {
        HttpConnectionCaps caps = new HttpConnectionCaps("test port", 2, 2, ticker, refused::add);
        // Marking a connection authenticated changes nothing here.
        List<EmbeddedChannel> held = refusedOverTheTotal(caps, false);
        held.get(1).close();
        assertThat(caps.open()).isEqualTo(1);
    }

    /** A channel from a given peer address, as a socket's would be. */
    private static final class Peer extends EmbeddedChannel {
        private final SocketAddress remote;

        Peer(SocketAddress remote) {
            this.remote = remote;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return isActive() ? remote : null;
        }
    }
}
