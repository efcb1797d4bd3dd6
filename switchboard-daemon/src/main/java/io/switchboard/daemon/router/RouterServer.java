package io.switchboard.daemon.router;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.admin.AdminResponse;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.cluster.protocol.FrameRejectionListener;
import io.switchboard.globaldb.GlobalDb;
import io.switchboard.globaldb.World;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;
import io.switchboard.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.SecretKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The router (DESIGN §9) as a part of its process: loads the world from globaldb (again every
 * {@link RouterSettings#worldRefresh()}, and at once when a daemon names a machine it does not know), takes daemons
 * that prove the cluster secret and name a machine of the world ({@link DaemonHandshake}), one per machine, and relays
 * commands between them ({@link ConnectedDaemons}). {@code POST /world/reload} on the admin port reads the world again
 * at once, after an import. One event loop serves every connection: the traffic is a few
 * commands a minute, and one thread keeps the tables free of locks.
 */
public final class RouterServer implements ProcessPart {
    private static final Logger log = LoggerFactory.getLogger(RouterServer.class);
    /** The longest the first read of the world may take before the router gives up starting. */
    private static final Duration WORLD_READ_TIMEOUT = Duration.ofSeconds(30);

    private final RouterSettings settings;
    private final PlaneProof proof;
    private final RouterWorld world;
    private volatile ConnectedDaemons daemons;
    /** Every daemon connection, closed explicitly on close: a group shutting down does not always close them. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private EventLoopGroup group;
    private Channel server;

    /**
     * @param globalDb where the world is read from
     * @param secret   the cluster secret daemons must prove, or empty to take only loopback daemons
     */
    public RouterServer(GlobalDb globalDb, Optional<SecretKey> secret, RouterSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.proof = secret.map(PlaneProof::new).orElse(null);
        this.world = new RouterWorld(Objects.requireNonNull(globalDb, "globalDb"));
    }

    @Override
    public void start(ProcessRuntime runtime) throws Exception {
        World loaded = world.reload().get(WORLD_READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        world.refreshEvery(settings.worldRefresh());
        RouterMetrics metrics = new RouterMetrics(runtime.meters(), () -> daemons == null ? 0 : daemons.size());
        ConnectedDaemons table = new ConnectedDaemons(settings, metrics);
        daemons = table;
        Refusals refusals = new Refusals(metrics, settings.ticker());
        ConnectionCaps caps = new ConnectionCaps(settings, refusals);
        group = Transports.newGroup(1, "switchboard-router");
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(Transports.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        connections.add(channel);
                        PlaneFrames.addCodec(channel.pipeline(), FrameRejectionListener.NOOP);
                        channel.pipeline().addLast("caps", caps);
                        channel.pipeline().addLast("handshake", new DaemonHandshake(proof, settings, world, table,
                                refusals));
                    }
                });
        server = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        // Asynchronous: the admin route runs on admin's I/O thread, and a globaldb read is no quick thing.
        runtime.adminRoute(HttpMethod.POST, "/world/reload", request -> {
            reloadWorld();
            return new AdminResponse(HttpResponseStatus.ACCEPTED, "application/json",
                    "{\"world\":\"reloading\"}".getBytes(StandardCharsets.UTF_8));
        });
        long every = settings.checkInterval().toNanos();
        group.next().scheduleAtFixedRate(table::expire, every, every, TimeUnit.NANOSECONDS);
        log.info("router: listening on {}:{} for the daemons of {} machine(s); daemons {}", settings.host(), port(),
                loaded.machines().size(), proof != null ? "prove the cluster secret" : "on loopback only (no secret)");
    }

    /** The port the router listens on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The machines whose daemons are connected now, sorted. */
    public Set<String> connectedMachines() {
        ConnectedDaemons table = daemons;
        return table == null ? Set.of() : table.ips();
    }

    /** Reads the world from globaldb again now (after an import); completes with it. */
    public CompletableFuture<World> reloadWorld() {
        return world.reload();
    }

    @Override
    public void stopTakingNew() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void health(ObjectNode health) {
        ObjectNode router = health.putObject("router");
        router.put("port", server == null ? -1 : port());
        router.put("secret", proof != null);
        router.put("machines", world.current().machines().size());
        ArrayNode connected = router.putArray("daemons");
        connectedMachines().forEach(connected::add);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        connections.close().awaitUninterruptibly();
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        world.close();
    }
}
