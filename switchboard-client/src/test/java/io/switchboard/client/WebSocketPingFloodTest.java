package io.switchboard.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hostile WebSocket server, on a raw socket: it completes the upgrade, streams empty pings and never reads. Netty's
 * protocol handler would queue a pong for each; the client must not buffer more than its write-buffer high water
 * mark (64 KiB) plus a frame.
 */
@Timeout(value = 60, unit = SECONDS)
class WebSocketPingFloodTest {
    private static final int PINGS = 1_000_000;
    /** The channel's default write-buffer high water mark, plus room for a frame or two. */
    private static final long MAX_PENDING = 64 * 1024 + 1024;
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final AtomicReference<Channel> channel = new AtomicReference<>();
    private final AtomicReference<Throwable> serverFailure = new AtomicReference<>();
    private ServerSocket listener;
    private volatile Socket accepted;
    private Thread server;
    private SwitchboardClient client;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            assertThat(client.close()).succeedsWithin(Duration.ofSeconds(10));
        }
        if (accepted != null) {
            accepted.close();
        }
        listener.close();
        server.join(SECONDS.toMillis(10));
    }

    @Test
    void pingsFromAServerThatDoesNotReadGetNoPongsBeyondTheWriteBuffer() throws Exception {
        listener = new ServerSocket();
        // Set before bind so the accepted socket has it too: the kernel then absorbs few pongs for the server.
        listener.setReceiveBufferSize(4096);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server = new Thread(this::flood, "ping-flood-server");
        server.setDaemon(true);
        server.start();

        client = SwitchboardClient.builder(URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/"))
                .dialer(context -> {
                    CompletableFuture<Channel> dial = WebSocketDialer.INSTANCE.dial(context);
                    dial.thenAccept(ch -> {
                        // A small, fixed send buffer: the kernel would otherwise take megabytes of pongs first.
                        ch.config().setOption(ChannelOption.SO_SNDBUF, 8 * 1024);
                        channel.set(ch);
                    });
                    return dial;
                })
                .build();
        client.connect();

        // The handshake answer follows the pings on the wire: once it is read, so are they all. Until then the
        // client's backlog is watched as it reads them.
        await().atMost(Duration.ofSeconds(40)).until(() -> client.isConnected() || serverFailure.get() != null
                || pending() > MAX_PENDING);
        assertThat(serverFailure.get()).isNull();
        assertThat(pending()).as("bytes waiting to be written to the server").isLessThanOrEqualTo(MAX_PENDING);
        assertThat(client.isConnected()).isTrue();
    }

    /** What the client's channel holds to write, as Netty counts it for the water marks. */
    private long pending() throws Exception {
        Channel ch = channel.get();
        if (ch == null) {
            return 0;
        }
        return ch.eventLoop().submit(() -> {
            ChannelOutboundBuffer buffer = ch.unsafe().outboundBuffer();
            return buffer == null ? 0 : buffer.totalPendingWriteBytes();
        }).get(10, SECONDS);
    }

    /** Upgrades, sends the pings then a Pomelo handshake answer in a binary frame, and reads nothing more. */
    private void flood() {
        try {
            Socket socket = listener.accept();
            accepted = socket;
            String key = upgradeKey(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + acceptFor(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] pings = new byte[2 * PINGS];
            for (int i = 0; i < pings.length; i += 2) {
                pings[i] = (byte) 0x89; // FIN + ping, then a payload length of 0
            }
            out.write(pings);
            byte[] answer = "{\"code\":200,\"sys\":{\"heartbeat\":0}}".getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x82); // FIN + binary; a server's frames are not masked
            frame.write(4 + answer.length);
            frame.write(new byte[] {1, 0, 0, (byte) answer.length}); // Pomelo handshake package header
            frame.write(answer);
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            if (!listener.isClosed()) {
                serverFailure.set(e);
            }
        } catch (Exception e) {
            serverFailure.set(e);
        }
    }

    private static String upgradeKey(InputStream in) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        while (!request.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed during the upgrade");
            }
            request.write(b);
        }
        for (String line : request.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        throw new IOException("no Sec-WebSocket-Key in " + request);
    }

    private static String acceptFor(String key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1")
                .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(digest);
    }
}
