package io.switchboard.daemon.link;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.switchboard.cluster.protocol.ClusterSecret;
import io.switchboard.cluster.protocol.FrameRejectionListener;
import io.switchboard.cluster.protocol.Loopback;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.common.text.LogText;
import io.switchboard.common.time.Backoff;
import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.command.CommandResult.Outcome;
import io.switchboard.daemon.command.LocalCommands;
import io.switchboard.daemon.relay.CommandRelay;
import io.switchboard.daemon.router.PlaneFrames;
import io.switchboard.daemon.router.PlaneMessages;
import io.switchboard.daemon.router.PlaneProof;
import io.switchboard.daemon.router.PlaneProtocolException;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;
import io.switchboard.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.SecretKey;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * A daemon's side of the router (DESIGN §9), as a part of the daemon's process and as its {@link CommandRelay}. It
 * dials the router from this machine's IP, and while the router cannot be reached or after it is lost, dials again
 * with exponential backoff ({@link RouterLinkSettings#reconnectMin()} doubling to
 * {@link RouterLinkSettings#reconnectMax()}, on the {@link ReconnectScheduler}); a refusal (an IP not in the world, a
 * wrong secret) is logged with the router's reason and retried the same way, since an import may fix it. Commands for
 * this machine that come through the router run on the {@link LocalCommands} given. {@link #send} never hangs: it
 * completes UNREACHABLE at once when the router is away, and after {@link RouterLinkSettings#requestTimeout()} when no
 * answer comes.
 */
public final class RouterLink implements CommandRelay, ProcessPart, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RouterLink.class);

    private final String ip;
    private final InetSocketAddress router;
    private final LocalCommands local;
    private final PlaneProof proof;
    private final RouterLinkSettings settings;
    private final Backoff backoff;
    /** Dials that failed in a row: the next waits {@code backoff.delay(failures)}. */
    private final AtomicInteger failures = new AtomicInteger();
    private final EventLoopGroup group;
    private final ExecutorService commandRunner;
    private final ReconnectScheduler scheduler;
    /** The connection dialled last, closed explicitly on close. */
    private volatile Channel channel;
    private volatile RouterLinkHandler linked;
    private volatile String lastRefusal;
    private volatile boolean closed;
    private volatile boolean unreachableSaid;

    /** Dials again on the link's own event loop. */
    public RouterLink(String ip, InetSocketAddress router, LocalCommands local, Optional<SecretKey> secret,
                      RouterLinkSettings settings) {
        this(ip, router, local, secret, settings, null);
    }

    /**
     * @param ip        this machine's inner IP, as the world names it: the link dials from it and says it in HELLO
     * @param secret    the cluster secret, or empty for a router on loopback without one
     * @param scheduler runs the dials after a backoff delay; {@code null} for the link's own event loop
     * @throws IllegalArgumentException for a router off loopback without a secret ({@link #requireSecretOffLoopback})
     */
    public RouterLink(String ip, InetSocketAddress router, LocalCommands local, Optional<SecretKey> secret,
                      RouterLinkSettings settings, ReconnectScheduler scheduler) {
        requireSecretOffLoopback(router, secret);
        this.ip = Objects.requireNonNull(ip, "ip");
        this.router = router;
        this.local = Objects.requireNonNull(local, "local");
        this.proof = secret.map(PlaneProof::new).orElse(null);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.backoff = new Backoff(settings.reconnectMin(), settings.reconnectMax());
        this.group = Transports.newGroup(1, "switchboard-router-link");
        this.commandRunner = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "switchboard-router-link-command");
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler = scheduler != null ? scheduler : ReconnectScheduler.of(group);
    }

    /**
     * Refuses to dial a router off loopback without the cluster secret, as the router refuses to listen off loopback
     * without one: with no secret the daemon cannot check the router's proof, and would run the start, stop and kill
     * of whoever answers at that address.
     *
     * @throws IllegalArgumentException when {@code router} is not a loopback address and there is no secret
     */
    public static void requireSecretOffLoopback(InetSocketAddress router, Optional<SecretKey> secret) {
        Objects.requireNonNull(router, "router");
        if (secret.isEmpty() && !Loopback.isLoopback(router)) {
            throw new IllegalArgumentException("the daemon would dial the router at " + address(router) + " without "
                    + ClusterSecret.ENV + ", so it could not tell the router from whoever answers there: set it, or "
                    + "run the router on loopback");
        }
    }

    @Override
    public void start(ProcessRuntime runtime) {
        start();
    }

    /** Dials the router; returns at once, the link comes up (or keeps trying) in the background. */
    public RouterLink start() {
        dial();
        return this;
    }

    private void dial() {
        if (closed) {
            return;
        }
        Bootstrap bootstrap = new Bootstrap().group(group).channel(Transports.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.helloTimeout().toMillis())
                .localAddress(ip, 0)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        PlaneFrames.addCodec(channel.pipeline(), FrameRejectionListener.NOOP);
                        channel.pipeline().addLast("router", new RouterLinkHandler(ip, proof, settings, local,
                                commandRunner, RouterLink.this));
                    }
                });
        ChannelFuture connect;
        try {
            connect = bootstrap.connect(router);
        } catch (RuntimeException e) {
            // The group is shutting down: the link is closing.
            return;
        }
        channel = connect.channel();
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                // Said once per outage; the dials after it are as many as the backoff allows.
                if (unreachableSaid) {
                    log.debug("daemon {}: cannot reach the router at {}: {}", ip, address(), done.cause().toString());
                } else {
                    unreachableSaid = true;
                    log.warn("daemon {}: cannot reach the router at {} ({}); dialling again with backoff", ip,
                            address(), done.cause().toString());
                }
            }
        });
        connect.channel().closeFuture().addListener(done -> redial());
    }

    private void redial() {
        if (!closed) {
            scheduler.schedule(this::dial, backoff.delay(failures.incrementAndGet()));
        }
    }

    void welcomed(RouterLinkHandler handler) {
        linked = handler;
        lastRefusal = null;
        unreachableSaid = false;
        failures.set(0);
        log.info("daemon {}: linked to the router at {}", ip, address());
    }

    void refused(String reason) {
        lastRefusal = reason;
        log.warn("daemon {}: the router at {} refused this daemon: {}", ip, address(), LogText.printable(reason));
    }

    void lost(RouterLinkHandler handler) {
        if (linked == handler) {
            linked = null;
            if (!closed) {
                log.warn("daemon {}: lost the router at {}; dialling again", ip, address());
            }
        }
    }

    /** Whether the router has welcomed this daemon and the link is up. */
    public boolean isConnected() {
        return linked != null;
    }

    /** Why the router last refused this daemon, if it did since the last welcome. */
    public Optional<String> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    @Override
    public CompletableFuture<CommandResult> send(String ip, String user, AdminCommand command) {
        return ask(id -> PlaneMessages.commandFor(id, ip, user, command.toString()), PlaneMessages::result)
                .exceptionally(failure -> CommandResult.failed(Outcome.UNREACHABLE, "'" + command + "' did not reach "
                        + ip + ": " + cause(failure).getMessage()));
    }

    /** The machines the router has daemons of; empty while the router is away. */
    @Override
    public CompletableFuture<Set<String>> connectedMachines() {
        return ask(PlaneMessages::machinesRequest, PlaneMessages::machines).exceptionally(failure -> Set.of());
    }

    private <T> CompletableFuture<T> ask(LongFunction<Envelope> request, Answer<T> read) {
        RouterLinkHandler handler = linked;
        if (handler == null) {
            return CompletableFuture.failedFuture(new RouterUnreachableException("the router at " + address()
                    + " is not connected"));
        }
        return handler.request(request).thenApply(answer -> {
            try {
                return read.apply(answer);
            } catch (PlaneProtocolException e) {
                throw new CompletionException(e);
            }
        });
    }

    @FunctionalInterface
    private interface Answer<T> {
        T apply(Envelope envelope) throws PlaneProtocolException;
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private String address() {
        return address(router);
    }

    private static String address(InetSocketAddress router) {
        return router.getHostString() + ":" + router.getPort();
    }

    @Override
    public void health(ObjectNode health) {
        ObjectNode link = health.putObject("routerLink");
        link.put("router", address()).put("ip", ip).put("connected", isConnected());
        lastRefusal().ifPresent(reason -> link.put("refused", reason));
    }

    @Override
    public void close() {
        closed = true;
        Channel last = channel;
        if (last != null) {
            last.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        commandRunner.shutdownNow();
    }
}
