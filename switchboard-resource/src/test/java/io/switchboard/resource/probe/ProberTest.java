package io.switchboard.resource.probe;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.resource.config.Endpoint;
import io.switchboard.resource.config.Heartbeat;
import io.switchboard.resource.config.ProbeAddress;
import io.switchboard.transport.Transports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Probes against real loopback sockets that open and close, on a manual ticker: lose_time and recover_time exactly. */
class ProberTest {
    private static final int GAP_SECONDS = 5;
    private static final Heartbeat HEARTBEAT = new Heartbeat(ProbeAddress.OUT_IP, GAP_SECONDS, 3, 2);

    private final EventLoopGroup group = Transports.newGroup(1, "test-prober");
    private final EventLoop loop = group.next();
    private final ManualTicker ticker = new ManualTicker();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final Prober prober = new Prober(loop, ticker, meters,
            (endpoint, from, to) -> changes.add(endpoint.id() + " " + from.label() + "->" + to.label()));
    private ServerSocket server;
    /** The endpoint whose state {@link #round} returns. */
    private Endpoint watched;

    @AfterEach
    void close() throws Exception {
        onLoop(() -> {
            prober.close();
            return null;
        });
        if (server != null) {
            server.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void downAfterLoseTimeFailuresAndUpAfterRecoverTimeSuccesses() throws Exception {
        open(0);
        int port = server.getLocalPort();
        // out_ip is probed; inner_ip is an address where nothing listens, so probing it would fail.
        Endpoint endpoint = new Endpoint("gate", "id_01", "sz", "s1", "127.0.0.9", "127.0.0.1", port, HEARTBEAT);
        follow(endpoint);
        assertThat(state(endpoint)).isEqualTo(ProbeState.PENDING);

        assertThat(round(false)).isEqualTo(ProbeState.UP);
        assertThat(changes).containsExactly("id_01 pending->up");

        server.close();
        assertThat(round(true)).isEqualTo(ProbeState.UP);
        assertThat(round(true)).isEqualTo(ProbeState.UP);
        assertThat(round(true)).isEqualTo(ProbeState.DOWN);
        assertThat(round(true)).isEqualTo(ProbeState.DOWN);

        open(port);
        assertThat(round(true)).isEqualTo(ProbeState.DOWN);
        assertThat(round(true)).isEqualTo(ProbeState.UP);
        assertThat(changes).containsExactly("id_01 pending->up", "id_01 up->down", "id_01 down->up");
        assertThat(meters.get("switchboard.resource.probes").tag("result", "failure").counter().count()).isEqualTo(4);
        assertThat(meters.get("switchboard.resource.probes").tag("result", "success").counter().count()).isEqualTo(3);
        assertThat(meters.get("switchboard.resource.transitions").tag("state", "down").counter().count()).isEqualTo(1);
        assertThat(meters.get("switchboard.resource.endpoints").tag("state", "up").gauge().value()).isEqualTo(1);
    }

    @Test
    void aSuccessBreaksARunOfFailures() throws Exception {
        open(0);
        int port = server.getLocalPort();
        Endpoint endpoint = new Endpoint("gate", "id_01", "sz", "s1", "127.0.0.1", "127.0.0.1", port, HEARTBEAT);
        follow(endpoint);
        round(false);
        server.close();
        round(true);
        round(true);
        open(port);
        round(true);
        server.close();
        round(true);
        assertThat(round(true)).isEqualTo(ProbeState.UP);
        assertThat(round(true)).isEqualTo(ProbeState.DOWN);
    }

    @Test
    void aNewEndpointThatNeverAnswersIsDownAfterLoseTimeAndServiceListIsUpUnprobed() throws Exception {
        open(0);
        int closedPort = server.getLocalPort();
        server.close();
        Endpoint probed = new Endpoint("gate", "id_01", "sz", "s1", "127.0.0.1", "127.0.0.1", closedPort, HEARTBEAT);
        Endpoint served = new Endpoint("gate", "id_02", "sz", "s1", "127.0.0.1", "127.0.0.1", closedPort, null);
        follow(probed, served);
        assertThat(round(false)).isEqualTo(ProbeState.PENDING);
        assertThat(round(true)).isEqualTo(ProbeState.PENDING);
        assertThat(round(true)).isEqualTo(ProbeState.DOWN);
        assertThat(onLoop(() -> prober.state(served))).isEqualTo(ProbeState.UP);
        assertThat(onLoop(prober::completed)).isEqualTo(3);
    }

    private static final int UNRELATED_THREADS = 8;

    @Test
    void thousandsOfEndpointsNeedNoThreadEach() throws Exception {
        open(0);
        int port = server.getLocalPort();
        server.close();
        int count = 2_000;
        List<Endpoint> many = new ArrayList<>();
        IntStream.range(0, count).forEach(i -> many.add(new Endpoint("gate", "id_" + i, "sz", "s1", "127.0.0.1",
                "127.0.0.1", port, HEARTBEAT)));
        onLoop(() -> {
            prober.update(many);
            return null;
        });
        int threadsBefore = Thread.activeCount();

        onLoop(() -> {
            prober.tick();
            return null;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> onLoop(prober::completed) == count);

        // A thread per probe would be 2,000 more; a few come and go in any JVM (Awaitility's poller, for one).
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + UNRELATED_THREADS);
        assertThat(meters.get("switchboard.resource.probes").tag("result", "failure").counter().count())
                .isEqualTo(count);
    }

    /** Moves time by one gap (unless first), starts the due probes, waits for them, and returns the state. */
    private ProbeState round(boolean advance) throws Exception {
        long before = onLoop(prober::completed);
        if (advance) {
            ticker.advance(Duration.ofSeconds(GAP_SECONDS));
        }
        onLoop(() -> {
            prober.tick();
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> onLoop(prober::completed) == before + 1);
        return onLoop(() -> prober.state(watched));
    }

    private void follow(Endpoint... endpoints) throws Exception {
        watched = endpoints[0];
        onLoop(() -> {
            prober.update(List.of(endpoints));
            return null;
        });
    }

    private ProbeState state(Endpoint endpoint) throws Exception {
        return onLoop(() -> prober.state(endpoint));
    }

    private void open(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }
}
