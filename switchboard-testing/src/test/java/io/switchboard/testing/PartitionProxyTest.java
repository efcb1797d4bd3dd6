package io.switchboard.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The relay against a blocking echo server: bytes through, then lost the cut way or both, and new paths healed. */
class PartitionProxyTest {
    /** How long a read waits to show that nothing came: a bound on the test, not a clock it waits on. */
    private static final int SILENCE_MILLIS = 300;

    private final ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> served = new ArrayList<>();
    /** Bytes the echo server read, over every connection. */
    private final AtomicLong received = new AtomicLong();
    private final Thread acceptor = new Thread(this::serve, "echo-acceptor");
    private PartitionProxy proxy;

    PartitionProxyTest() throws IOException {
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        echo.close();
        synchronized (served) {
            for (Socket s : served) {
                s.close();
            }
        }
    }

    @Test
    void relaysUntilCutThenLosesBytesBothWaysWithoutClosingAndRelaysNewConnectionsOnceHealed() throws Exception {
        proxy = new PartitionProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()));
        try (Socket before = dial()) {
            assertThat(roundTrip(before, "one")).isEqualTo("one");

            proxy.cut();
            before.getOutputStream().write("two".getBytes(StandardCharsets.US_ASCII));
            assertSilent(before);
            try (Socket during = dial()) {
                during.getOutputStream().write("three".getBytes(StandardCharsets.US_ASCII));
                assertSilent(during);

                proxy.heal();
                try (Socket after = dial()) {
                    assertThat(roundTrip(after, "four")).isEqualTo("four");
                }
                assertSilent(during);
            }
            assertSilent(before);
        }
        assertThat(proxy.accepted()).isEqualTo(3);
    }

    @Test
    void aOneWayCutLosesOnlyWhatGoesThatWay() throws Exception {
        proxy = new PartitionProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()));
        try (Socket fromTarget = dial()) {
            assertThat(roundTrip(fromTarget, "b")).isEqualTo("b");
            long before = received.get();

            proxy.cut(PartitionProxy.Direction.FROM_TARGET);
            fromTarget.getOutputStream().write("cd".getBytes(StandardCharsets.US_ASCII));
            await("the echo server gets what goes to it").atMost(Duration.ofSeconds(10))
                    .until(() -> received.get() == before + 2);
            assertSilent(fromTarget);
        }
        proxy.heal();
        try (Socket toTarget = dial()) {
            assertThat(roundTrip(toTarget, "healed")).isEqualTo("healed");
            proxy.cut(PartitionProxy.Direction.TO_TARGET);
            long before = received.get();
            toTarget.getOutputStream().write("e".getBytes(StandardCharsets.US_ASCII));
            assertSilent(toTarget);
            assertThat(received.get()).isEqualTo(before);
        }
    }

    private Socket dial() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(SILENCE_MILLIS);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        byte[] back = socket.getInputStream().readNBytes(text.length());
        socket.setSoTimeout(SILENCE_MILLIS);
        return new String(back, StandardCharsets.US_ASCII);
    }

    /** Neither data nor a close arrives: the read times out rather than returning bytes or end of stream. */
    private static void assertSilent(Socket socket) {
        assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }

    private void serve() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                synchronized (served) {
                    served.add(s);
                }
                Thread pump = new Thread(() -> pump(s), "echo-pump");
                pump.setDaemon(true);
                pump.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket s) {
        try (InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buffer = new byte[256];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.addAndGet(n);
                out.write(buffer, 0, n);
            }
        } catch (IOException closed) {
            // The test closed it.
        }
    }
}
