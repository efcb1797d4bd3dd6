package io.switchboard.daemon.link;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.switchboard.cluster.protocol.ClusterEnvelope;
import io.switchboard.cluster.protocol.ClusterSecret;
import io.switchboard.cluster.protocol.FrameRejectionListener;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.command.CommandResult.Outcome;
import io.switchboard.daemon.command.LocalCommands;
import io.switchboard.daemon.router.PlaneFrames;
import io.switchboard.daemon.router.PlaneMessages;
import io.switchboard.daemon.router.RouterServer;
import io.switchboard.daemon.router.RouterSettings;
import io.switchboard.globaldb.InMemoryGlobalDb;
import io.switchboard.globaldb.ProcessSpec;
import io.switchboard.globaldb.World;
import io.switchboard.runtime.ProcessConfig;
import io.switchboard.runtime.ProcessRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import javax.crypto.SecretKey;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A router and daemons' links on 127.0.0.2 and 127.0.0.3 (each link dials from its machine's IP) with an in-memory
 * globaldb and fake machines: commands travel through the router and their answers come back; the router refuses,
 * with its reason, an IP outside the world, a wrong secret, a daemon dialling from another address than its
 * machine's and a second daemon for a connected IP; a target that is
 * away or silent is UNREACHABLE by the deadline; links come back after the router restarts; bad frames close only
 * their own connection.
 */
class RouterLinkTest {
    private static final String A = "127.0.0.2";
    private static final String B = "127.0.0.3";
    private static final Optional<SecretKey> SECRET = Optional.of(ClusterSecret.key("the cluster secret, 32 bytes."));
    private static final Duration RELAY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration FIRST_DIAL_DELAY = RouterLinkSettings.defaults().reconnectMin();

    private final InMemoryGlobalDb globalDb = new InMemoryGlobalDb(1);
    private final ManualTicker routerTime = new ManualTicker();
    private final ManualTicker linkTime = new ManualTicker();
    private final ManualReconnects reconnects = new ManualReconnects();
    private final FakeMachine machineA = new FakeMachine(A);
    private final FakeMachine machineB = new FakeMachine(B);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ProcessRuntime routerRuntime;
    private RouterServer router;

    RouterLinkTest() {
        globalDb.replaceWorld(new World(Map.of("r1", Map.of(
                A, List.of(new ProcessSpec("gate", "gate-1", A, 10101, null, null, null, null)),
                B, List.of(new ProcessSpec("cmd", "web", B, 8080, null, "/bin/true", null, null))))));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (routerRuntime != null) {
            routerRuntime.close();
        }
    }

    private RouterServer startRouter(int port, Optional<SecretKey> secret) throws Exception {
        return startRouter(port, secret, RouterSettings.defaults());
    }

    private RouterServer startRouter(int port, Optional<SecretKey> secret, RouterSettings base) throws Exception {
        router = new RouterServer(globalDb, secret, base.withAddress("127.0.0.1", port)
                .withTimeouts(Duration.ofSeconds(5), RELAY_TIMEOUT, Duration.ofSeconds(60)).withTicker(routerTime));
        routerRuntime = ProcessRuntime.of(ProcessConfig.builder("router").admin("127.0.0.1", ProcessConfig.ADMIN_OFF)
                .build()).add(router).start();
        return router;
    }

    private RouterLink link(String ip, FakeMachine machine, Optional<SecretKey> secret) {
        RouterLink link = new RouterLink(ip, new InetSocketAddress("127.0.0.1", router.port()),
                new LocalCommands(machine), secret, RouterLinkSettings.defaults().withTicker(linkTime), reconnects);
        toClose.add(link);
        return link.start();
    }

    private RouterLink connected(String ip, FakeMachine machine) {
        RouterLink link = link(ip, machine, SECRET);
        await().atMost(10, TimeUnit.SECONDS).until(link::isConnected);
        return link;
    }

    private static CommandResult result(CompletableFuture<CommandResult> pending) throws Exception {
        return pending.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCommandForTheOtherMachineTravelsThroughTheRouterAndItsAnswerComesBack() throws Exception {
        startRouter(0, SECRET);
        RouterLink a = connected(A, machineA);
        connected(B, machineB);

        CommandResult started = result(a.send(B, "ann", AdminCommand.parse("start " + B + " web")));

        assertThat(started.outcome()).isEqualTo(Outcome.OK);
        assertThat(started.data().get("machine").asText()).isEqualTo(B);
        assertThat(started.data().get("started").asText()).isEqualTo("web");
        assertThat(machineB.calls).containsExactly("start web");
        assertThat(machineA.calls).isEmpty();
        CommandResult killed = result(a.send(B, "ann", AdminCommand.parse("kill " + B + " 4242")));
        assertThat(killed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(killed.message()).isEqualTo("pid 4242 is not a process of " + B);
        assertThat(routerRuntime.meters().get("switchboard.router.relays").tag("outcome", "ok").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void connectedMachinesAreListedByTheRouterToLinksAndInHealth() throws Exception {
        startRouter(0, SECRET);
        RouterLink a = connected(A, machineA);
        connected(B, machineB);

        assertThat(a.connectedMachines().get(10, TimeUnit.SECONDS)).containsExactly(A, B);
        assertThat(router.connectedMachines()).containsExactly(A, B);
        ObjectNode health = routerRuntime.health();
        assertThat(health.at("/router/daemons").toString()).isEqualTo("[\"" + A + "\",\"" + B + "\"]");
        assertThat(health.at("/router/secret").asBoolean()).isTrue();
        ObjectNode linkHealth = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        a.health(linkHealth);
        assertThat(linkHealth.at("/routerLink/connected").asBoolean()).isTrue();
    }

    @Test
    void aCommandNamingAnotherMachineThanItsTargetIsABadCommand() throws Exception {
        startRouter(0, SECRET);
        RouterLink a = connected(A, machineA);
        connected(B, machineB);

        CommandResult result = result(a.send(B, "ann", AdminCommand.parse("start " + A + " gate-1")));

        assertThat(result.outcome()).isEqualTo(Outcome.BAD_COMMAND);
        assertThat(result.message()).contains("names " + A + " but was sent to " + B);
        assertThat(machineA.calls).isEmpty();
        assertThat(machineB.calls).isEmpty();
    }

    @Test
    void aDaemonWhoseIpIsNotAMachineOfTheWorldIsRefusedWithTheReason() throws Exception {
        startRouter(0, SECRET);
        RouterLink stranger = link("127.0.0.9", new FakeMachine("127.0.0.9"), SECRET);

        await().atMost(10, TimeUnit.SECONDS).until(() -> stranger.lastRefusal().isPresent());
        assertThat(stranger.lastRefusal()).contains("127.0.0.9 is not a machine of the world");
        assertThat(stranger.isConnected()).isFalse();
        assertThat(router.connectedMachines()).isEmpty();
        assertThat(routerRuntime.meters().get("switchboard.router.refusals").tag("reason", "unknown_machine")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void aMachineImportedAfterTheRouterStartedIsTakenAtOnce() throws Exception {
        startRouter(0, SECRET);
        globalDb.replaceWorld(new World(Map.of("r2", Map.of("127.0.0.4", List.of()))));

        RouterLink fresh = link("127.0.0.4", new FakeMachine("127.0.0.4"), SECRET);

        await().atMost(10, TimeUnit.SECONDS).until(fresh::isConnected);
        assertThat(router.connectedMachines()).containsExactly("127.0.0.4");
    }

    @Test
    void aWrongSecretIsRefusedAndSoIsNone() throws Exception {
        startRouter(0, SECRET);
        RouterLink wrong = link(A, machineA, Optional.of(ClusterSecret.key("not the cluster secret at all")));
        RouterLink none = link(B, machineB, Optional.empty());

        await().atMost(10, TimeUnit.SECONDS).until(() -> wrong.lastRefusal().isPresent()
                && none.lastRefusal().isPresent());
        assertThat(wrong.lastRefusal()).contains("a wrong proof of the cluster secret");
        assertThat(none.lastRefusal()).contains("the daemon has no cluster secret; the router has one");
        assertThat(router.connectedMachines()).isEmpty();
    }

    @Test
    void withoutASecretLoopbackDaemonsLink() throws Exception {
        startRouter(0, Optional.empty());
        RouterLink a = link(A, machineA, Optional.empty());
        RouterLink b = link(B, machineB, Optional.empty());
        await().atMost(10, TimeUnit.SECONDS).until(() -> a.isConnected() && b.isConnected());

        assertThat(result(b.send(A, "ann", AdminCommand.parse("start " + A + " all"))).isOk()).isTrue();
        assertThat(machineA.calls).containsExactly("start all");
    }

    @Test
    void withoutASecretTheDaemonRefusesToDialARouterOffLoopback() {
        // It would run the start, stop and kill of whoever answers there: it cannot tell the router from another.
        assertThatThrownBy(() -> new RouterLink(A, new InetSocketAddress("192.0.2.1", 8888),
                new LocalCommands(machineA), Optional.empty(), RouterLinkSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the daemon would dial the router at 192.0.2.1:8888 without SWITCHBOARD_CLUSTER_SECRET, "
                        + "so it could not tell the router from whoever answers there: set it, or run the router on "
                        + "loopback");
        new RouterLink(A, new InetSocketAddress("192.0.2.1", 8888), new LocalCommands(machineA), SECRET,
                RouterLinkSettings.defaults()).close();
    }

    @Test
    void aSecondDaemonForAConnectedIpIsRefused() throws Exception {
        startRouter(0, SECRET);
        RouterLink first = connected(A, machineA);
        RouterLink second = link(A, new FakeMachine(A), SECRET);

        await().atMost(10, TimeUnit.SECONDS).until(() -> second.lastRefusal().isPresent());
        assertThat(second.lastRefusal()).contains("a daemon of " + A + " is connected already");
        assertThat(second.isConnected()).isFalse();
        assertThat(first.isConnected()).isTrue();
        assertThat(router.connectedMachines()).containsExactly(A);
    }

    @Test
    void aTargetNotConnectedIsUnreachableAtOnce() throws Exception {
        startRouter(0, SECRET);
        RouterLink a = connected(A, machineA);

        CommandResult result = result(a.send(B, "ann", AdminCommand.parse("stop " + B + " web")));

        assertThat(result.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(result.message()).contains("the daemon of " + B + " is not connected to the router");
    }

    @Test
    void aTargetThatDoesNotAnswerIsUnreachableAtTheRelayDeadline() throws Exception {
        startRouter(0, SECRET);
        RouterLink a = connected(A, machineA);
        connected(B, machineB);

        CompletableFuture<CommandResult> stopping = a.send(B, "ann", AdminCommand.parse("stop " + B + " web"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> machineB.calls.contains("stop web"));
        assertThat(stopping).isNotDone();
        routerTime.advance(RELAY_TIMEOUT.plusMillis(1));

        CommandResult result = result(stopping);
        assertThat(result.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(result.message()).contains("did not answer within 20000 ms");
    }

    @Test
    void aTargetThatDropsWhileACommandWaitsMakesItUnreachable() throws Exception {
        startRouter(0, SECRET);
        RouterLink a = connected(A, machineA);
        RouterLink b = connected(B, machineB);

        CompletableFuture<CommandResult> stopping = a.send(B, "ann", AdminCommand.parse("stop " + B + " web"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> machineB.calls.contains("stop web"));
        b.close();

        CommandResult result = result(stopping);
        assertThat(result.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(result.message()).contains("dropped before answering");
    }

    @Test
    void withTheRouterAwayASendIsUnreachableAndConnectedMachinesEmpty() throws Exception {
        startRouter(0, SECRET);
        RouterLink a = connected(A, machineA);
        routerRuntime.close();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !a.isConnected());

        CommandResult result = result(a.send(B, "ann", AdminCommand.parse("start " + B + " web")));

        assertThat(result.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(result.message()).contains("is not connected");
        assertThat(a.connectedMachines().get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void linksDialAgainWithBackoffAndReconnectWhenTheRouterRestartsOnItsPort() throws Exception {
        int port = startRouter(0, SECRET).port();
        RouterLink a = connected(A, machineA);
        RouterLink b = connected(B, machineB);
        routerRuntime.close();
        routerRuntime = null;
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(List.of(a.isConnected(),
                b.isConnected(), reconnects.delays())).isEqualTo(List.of(false, false, List.of(FIRST_DIAL_DELAY, FIRST_DIAL_DELAY))));

        // Both dial while the router is down: each fails and waits twice as long.
        reconnects.runWaiting();
        Duration second = FIRST_DIAL_DELAY.multipliedBy(2);
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(reconnects.delays())
                .containsExactly(FIRST_DIAL_DELAY, FIRST_DIAL_DELAY, second, second));

        startRouter(port, SECRET);
        reconnects.runWaiting();
        await().atMost(10, TimeUnit.SECONDS).until(() -> a.isConnected() && b.isConnected());
        assertThat(result(a.send(B, "ann", AdminCommand.parse("start " + B + " web"))).isOk()).isTrue();
    }

    @Test
    void aLinkDialsAgainWhenTheRouterFallsSilent() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            // A router that welcomes any daemon, then never says another word (no pongs).
            Channel mute = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            PlaneFrames.addCodec(channel.pipeline(), FrameRejectionListener.NOOP);
                            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    ctx.writeAndFlush(PlaneMessages.challenge(null));
                                }

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    if (PlaneMessages.isNotify(((ClusterEnvelope) msg).envelope(),
                                            PlaneMessages.HELLO)) {
                                        ctx.writeAndFlush(PlaneMessages.welcome(null));
                                    }
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            RouterLink a = new RouterLink(A, (InetSocketAddress) mute.localAddress(), new LocalCommands(machineA),
                    Optional.empty(), RouterLinkSettings.defaults().withTicker(linkTime), reconnects);
            toClose.add(a);
            a.start();
            await().atMost(10, TimeUnit.SECONDS).until(a::isConnected);

            linkTime.advance(RouterLinkSettings.defaults().deadAfter().plusMillis(1));

            await().atMost(10, TimeUnit.SECONDS).until(() -> !a.isConnected() && reconnects.waiting() == 1);
            assertThat(reconnects.delays()).containsExactly(FIRST_DIAL_DELAY);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void malformedFramesCloseOnlyTheirOwnConnection() throws Exception {
        startRouter(0, SECRET);
        RouterLink a = connected(A, machineA);
        connected(B, machineB);

        try (Socket raw = new Socket("127.0.0.1", router.port())) {
            raw.setSoTimeout(10_000);
            OutputStream out = raw.getOutputStream();
            out.write(new byte[]{0x12, 0x34, 0, 0, 0, 16, 0, 1});
            out.flush();
            assertThat(readUntilClosed(raw.getInputStream())).isTrue();
        }

        assertThat(router.connectedMachines()).containsExactly(A, B);
        assertThat(result(a.send(B, "ann", AdminCommand.parse("start " + B + " web"))).isOk()).isTrue();
        assertThat(routerRuntime.meters().get("switchboard.router.refusals").tag("reason", "bad_frame").counter()
                .count()).isEqualTo(1.0);
    }

    @Test
    void aFloodOfBadConnectionsIsCountedInFullButLoggedOncePerReason() throws Exception {
        startRouter(0, SECRET);
        Logger log = (Logger) LoggerFactory.getLogger("io.switchboard.daemon.router.Refusals");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        log.setAdditive(false);
        try {
            for (int i = 0; i < 10; i++) {
                try (Socket raw = new Socket("127.0.0.1", router.port())) {
                    raw.setSoTimeout(10_000);
                    raw.getOutputStream().write(new byte[]{0x12, 0x34, 0, 0, 0, 16, 0, 1});
                    raw.getOutputStream().flush();
                    assertThat(readUntilClosed(raw.getInputStream())).isTrue();
                }
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> routerRuntime.meters().get("switchboard.router.refusals")
                    .tag("reason", "bad_frame").counter().count() == 10.0);
        } finally {
            log.detachAppender(lines);
            log.setAdditive(true);
        }
        assertThat(lines.list).singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
                .contains("bad_frame"));
    }

    @Test
    void aConnectionThatSaysNothingIsClosedAtTheHelloDeadline() throws Exception {
        startRouter(0, SECRET);
        try (Socket raw = new Socket("127.0.0.1", router.port())) {
            raw.setSoTimeout(10_000);
            await().atMost(10, TimeUnit.SECONDS).until(() -> raw.getInputStream().available() > 0);
            routerTime.advance(Duration.ofSeconds(6));

            assertThat(readUntilClosed(raw.getInputStream())).isTrue();
        }
        assertThat(routerRuntime.meters().get("switchboard.router.refusals").tag("reason", "hello_timeout")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void aConnectionOverTheCapPerAddressIsRefusedWithTheReason() throws Exception {
        startRouter(0, SECRET, RouterSettings.defaults().withCaps(8, 1, 16));
        try (Socket first = new Socket("127.0.0.1", router.port());
             Socket second = new Socket("127.0.0.1", router.port())) {
            second.setSoTimeout(10_000);
            String said = new String(second.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

            assertThat(said).contains("plane.refused").contains("the router has 1 connections open from 127.0.0.1");
            assertThat(first.isClosed()).isFalse();
        }
        RouterLink a = connected(A, machineA);
        assertThat(a.isConnected()).isTrue();
    }

    @Test
    void aDaemonDiallingFromAnotherAddressThanItsMachineIsRefused() throws Exception {
        startRouter(0, Optional.empty());
        // Claims 127.0.0.2 from 127.0.0.1.
        assertThat(refusalOfHello(A)).isEqualTo("the daemon of " + A + " must dial from " + A
                + ", not from 127.0.0.1");
        assertThat(router.connectedMachines()).isEmpty();
        assertThat(routerRuntime.meters().get("switchboard.router.refusals").tag("reason", "address_mismatch")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void anIpInAHelloCannotForgeALogLine() throws Exception {
        startRouter(0, Optional.empty());
        Logger log = (Logger) LoggerFactory.getLogger("io.switchboard.daemon");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        try {
            assertThat(refusalOfHello("1.2.3.4\nFAKE")).isEqualTo("1.2.3.4\nFAKE is not a machine of the world");
            await().atMost(10, TimeUnit.SECONDS).until(() -> routerRuntime.meters()
                    .get("switchboard.router.refusals").tag("reason", "unknown_machine").counter().count() == 1.0);
        } finally {
            log.detachAppender(lines);
        }
        List<String> said = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(said).anyMatch(line -> line.contains("1.2.3.4\\u000aFAKE is not a machine of the world"));
        assertThat(said).noneMatch(line -> line.contains("\n") || line.contains("\r"));
    }

    /** Dials the router without a secret from 127.0.0.1, says HELLO as {@code ip}; the reason it was refused. */
    private String refusalOfHello(String ip) throws Exception {
        CompletableFuture<String> refusal = new CompletableFuture<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            new Bootstrap().group(group).channel(NioSocketChannel.class).localAddress("127.0.0.1", 0)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            PlaneFrames.addCodec(channel.pipeline(), FrameRejectionListener.NOOP);
                            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                                    Envelope envelope = ((ClusterEnvelope) msg).envelope();
                                    if (PlaneMessages.isNotify(envelope, PlaneMessages.CHALLENGE)) {
                                        ctx.writeAndFlush(PlaneMessages.hello(ip, null, null));
                                    } else if (PlaneMessages.isNotify(envelope, PlaneMessages.REFUSED)) {
                                        refusal.complete(PlaneMessages.body(envelope).get("reason").asText());
                                    }
                                }
                            });
                        }
                    }).connect("127.0.0.1", router.port()).sync();

            return refusal.get(10, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Reads (the challenge, a refusal) until the peer closes; true when it did within the socket's timeout. */
    private static boolean readUntilClosed(InputStream in) throws Exception {
        byte[] buffer = new byte[4096];
        while (true) {
            int read;
            try {
                read = in.read(buffer);
            } catch (java.net.SocketException reset) {
                return true;
            }
            if (read < 0) {
                return true;
            }
        }
    }
}
