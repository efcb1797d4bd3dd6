package io.switchboard.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.common.log.LogWindow;
import io.switchboard.common.time.Ticker;
import io.switchboard.runtime.ConnectionQuota;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The connection caps of an HTTP port, in all and per peer address. {@link #admit} runs first for each new
 * connection: one over a cap is answered 503 ({@code Retry-After: 1}, a JSON error) before anything of its request is
 * read or decoded, and closed; an admitted one is counted until it closes. Whoever connects decides how often
 * refusals happen, so they are logged at most once per {@link #LOG_EVERY} (with how many were held back) and passed to
 * the port's counter by {@link ConnectionQuota.Cap}, a fixed set of tags.
 *
 * <p>Caps made by {@link #evictingUnauthenticated} keep a port whose operators log in usable when strangers fill it:
 * when the total cap is full, a newcomer that its own address's cap admits closes the oldest connection that made no
 * request the port accepted as {@link #authenticated} (nor has a login being {@link #checking checked}), and takes its
 * place; only when every connection is authenticated or being checked is it refused. The cap per address is checked first, so no connection an address may not open
 * closes anyone's. The evictable connections are kept in admission order (at most the total cap of them), under one
 * lock with the counts, so every connect, close and mark is O(1) on any event loop.
 */
public final class HttpConnectionCaps {
    private static final Logger log = LoggerFactory.getLogger(HttpConnectionCaps.class);
    public static final Duration LOG_EVERY = Duration.ofSeconds(10);

    private final String port;
    private final ConnectionQuota quota;
    private final LogWindow refusalLog;
    private final Consumer<ConnectionQuota.Cap> onRefused;
    /** Told of each eviction; {@code null} for caps that never evict. */
    private final Runnable onEvicted;
    /** Guards the quota's counts together with {@link #evictable} and {@link #evictions} when evicting. */
    private final Object lock = new Object();
    /** The connections not (yet) authenticated, oldest admitted first: the order evictions take them in. */
    private final LinkedHashMap<Channel, Admitted> evictable = new LinkedHashMap<>();
    private long evictions;

    /**
     * Caps that never evict: a connection over the total cap is refused.
     *
     * @param port      the port's name in the refusal's message and log line
     * @param onRefused told the cap of each refusal, on the connection's event loop
     */
    public HttpConnectionCaps(String port, int maxTotal, int maxPerAddress, Ticker ticker,
                              Consumer<ConnectionQuota.Cap> onRefused) {
        this(port, maxTotal, maxPerAddress, ticker, onRefused, null);
    }

    private HttpConnectionCaps(String port, int maxTotal, int maxPerAddress, Ticker ticker,
                               Consumer<ConnectionQuota.Cap> onRefused, Runnable onEvicted) {
        this.port = Objects.requireNonNull(port, "port");
        this.quota = new ConnectionQuota(maxTotal, maxPerAddress);
        this.refusalLog = new LogWindow(ticker, LOG_EVERY);
        this.onRefused = Objects.requireNonNull(onRefused, "onRefused");
        this.onEvicted = onEvicted;
    }

    /**
     * Caps that, when the total cap is full, close the oldest connection not {@link #authenticated} to admit a newcomer
     * within its address's cap, for a port whose operators log in (see the class comment).
     *
     * @param onEvicted told of each eviction, on the newcomer's event loop
     */
    public static HttpConnectionCaps evictingUnauthenticated(String port, int maxTotal, int maxPerAddress,
                                                             Ticker ticker, Consumer<ConnectionQuota.Cap> onRefused,
                                                             Runnable onEvicted) {
        return new HttpConnectionCaps(port, maxTotal, maxPerAddress, ticker, onRefused,
                Objects.requireNonNull(onEvicted, "onEvicted"));
    }

    /**
     * Counts the new connection {@code channel} until it closes and returns {@code true}; or, over a cap, sets its
     * pipeline to answer 503 once active and close, and returns {@code false}: then add nothing else to it.
     */
    public boolean admit(Channel channel) {
        InetAddress address = channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
        ConnectionQuota.Refusal refused;
        if (onEvicted == null) {
            refused = quota.admit(address);
            if (refused == null) {
                channel.closeFuture().addListener(closed -> quota.release(address));
                return true;
            }
        } else {
            Admitted evicted = null;
            synchronized (lock) {
                refused = quota.admit(address);
                if (refused != null && refused.cap() == ConnectionQuota.Cap.TOTAL) {
                    ConnectionQuota.Refusal own = quota.perAddressRefusal(address);
                    if (own != null) {
                        refused = own;
                    } else {
                        evicted = evictOldest();
                        if (evicted != null) {
                            refused = quota.admit(address);
                        }
                    }
                }
                if (refused == null) {
                    Admitted admitted = new Admitted(channel, address);
                    evictable.put(channel, admitted);
                    channel.closeFuture().addListener(future -> closed(channel, admitted));
                }
            }
            if (evicted != null) {
                closeEvicted(evicted, channel);
            }
            if (refused == null) {
                return true;
            }
        }
        onRefused.accept(refused.cap());
        String message = "the " + port + " has " + refused.reason() + ": retry later";
        long heldBack = refusalLog.admit();
        if (heldBack >= 0) {
            log.warn("{} connection from {} refused: {}{}", port, channel.remoteAddress(), message,
                    LogWindow.heldBackNote(heldBack));
        }
        channel.pipeline().addLast(new HttpResponseEncoder(), new Refuse(message));
        return false;
    }

    /**
     * Marks {@code channel} as having made a request its port accepted as authenticated (a valid session or token, a
     * successful login): it is never evicted. Safe on any thread; nothing for caps that never evict, or once it closed.
     */
    public void authenticated(Channel channel) {
        if (onEvicted != null) {
            synchronized (lock) {
                evictable.remove(channel);
            }
        }
    }

    /**
     * Spares {@code channel} from eviction while a login it sent is being checked (a password hash takes a while, and
     * it is not yet {@link #authenticated}); the returned handle ends that, and must be run once the check is done,
     * whatever its outcome. A connection that fails its login is evictable again in its old place, so sending logins
     * buys a stranger nothing beyond the check's time, which the port's login throttle bounds. Safe on any thread;
     * a no-op handle for caps that never evict, or a connection authenticated already or closed.
     */
    public Runnable checking(Channel channel) {
        if (onEvicted == null) {
            return () -> { };
        }
        Admitted admitted;
        synchronized (lock) {
            admitted = evictable.get(channel);
            if (admitted == null) {
                return () -> { };
            }
            admitted.checks++;
        }
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                synchronized (lock) {
                    admitted.checks--;
                }
            }
        };
    }

    /** Connections counted now. */
    public int open() {
        return quota.open();
    }

    /** Connections closed so far to admit a newcomer; always 0 for caps that never evict. */
    public long evicted() {
        synchronized (lock) {
            return evictions;
        }
    }

    /**
     * Uncounts the oldest evictable connection not being {@link #checking checked} at once, so its place is the
     * newcomer's; {@code null} when there is none. Under the lock; it skips at most the logins being checked.
     */
    private Admitted evictOldest() {
        Iterator<Admitted> oldest = evictable.values().iterator();
        while (oldest.hasNext()) {
            Admitted evicted = oldest.next();
            if (evicted.checks == 0) {
                oldest.remove();
                evicted.counted = false;
                quota.release(evicted.address);
                evictions++;
                return evicted;
            }
        }
        return null;
    }

    /** Closes, counts and logs an eviction; outside the lock. */
    private void closeEvicted(Admitted evicted, Channel newcomer) {
        evicted.channel.close();
        onEvicted.run();
        long heldBack = refusalLog.admit();
        if (heldBack >= 0) {
            log.warn("{} connection from {} closed to admit one from {}: the port was full and it was the oldest "
                            + "connection with no authenticated request{}", port, evicted.channel.remoteAddress(),
                    newcomer.remoteAddress(), LogWindow.heldBackNote(heldBack));
        }
    }

    /** Uncounts a closed connection, unless an eviction already did. */
    private void closed(Channel channel, Admitted admitted) {
        synchronized (lock) {
            evictable.remove(channel);
            if (admitted.counted) {
                admitted.counted = false;
                quota.release(admitted.address);
            }
        }
    }

    /** An admitted connection of evicting caps. */
    private static final class Admitted {
        final Channel channel;
        final InetAddress address;
        /** Until it closes or is evicted, whichever is first, so its place is given back once; guarded by the lock. */
        boolean counted = true;
        /** Its logins being checked now, which spare it from eviction; guarded by the lock. */
        int checks;

        Admitted(Channel channel, InetAddress address) {
            this.channel = channel;
            this.address = address;
        }
    }

    /** Answers a connection over a cap once it is active; nothing it sends is read. */
    private static final class Refuse extends ChannelInboundHandlerAdapter {
        private final String message;

        Refuse(String message) {
            this.message = message;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            FullHttpResponse response = HttpRefusal.jsonResponse(HttpResponseStatus.SERVICE_UNAVAILABLE, message);
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
