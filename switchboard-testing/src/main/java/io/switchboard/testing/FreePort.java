package io.switchboard.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds a free TCP port on loopback for a test that must pass an explicit port to a child process. The ports come
 * from below Linux's ephemeral range (32768-60999), where every outgoing connection takes its source port: a port
 * picked there could be taken by some connection between the pick and the bind. Each JVM starts at a random point of
 * the range and hands out each port once.
 */
public final class FreePort {
    private static final int FIRST = 20_000;
    private static final int END = 32_000;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(END - FIRST));

    private FreePort() {
    }

    public static int next() {
        for (int tries = 0; tries < END - FIRST; tries++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), END - FIRST);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on loopback in " + FIRST + "-" + (END - 1));
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
