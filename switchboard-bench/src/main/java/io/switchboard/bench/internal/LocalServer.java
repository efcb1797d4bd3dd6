package io.switchboard.bench.internal;

import io.netty.util.internal.PlatformDependent;
import io.switchboard.bench.BaselineServer;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/** A server this process starts: the baseline or the Switchboard demo, on an ephemeral loopback port. */
public interface LocalServer extends AutoCloseable {

    int port();

    /** The admin HTTP port serving {@code /metrics}, or -1 when the server has none. */
    int adminPort();

    /** Connections the server holds, or -1 when only its {@code /metrics} can tell. */
    long connections();

    @Override
    void close();

    /**
     * @param resume whether a Switchboard gate parks dropped sessions for a resume
     * @param registry the ZooKeeper connect string of a cluster's gate or node; unused by the others
     */
    static LocalServer start(String kind, int threads, boolean resume, String registry) throws Exception {
        return switch (kind) {
            case "baseline" -> baseline(threads);
            case "standalone" -> StandaloneDemo.start(threads, resume);
            case ClusterProcesses.ZOOKEEPER -> ClusterProcesses.zookeeper();
            case ClusterProcesses.GATE -> ClusterProcesses.gate(registry, threads, resume);
            case ClusterProcesses.NODE -> ClusterProcesses.node(registry);
            default -> throw new IllegalArgumentException("unknown local server " + kind);
        };
    }

    private static LocalServer baseline(int threads) throws InterruptedException {
        BaselineServer server = BaselineServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                threads, BaselineServer.DEFAULT_HEARTBEAT_SECONDS);
        return new LocalServer() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public int adminPort() {
                return -1;
            }

            @Override
            public long connections() {
                return server.connections();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /** The {@code /metrics} of a local server's admin HTTP on {@code adminPort}. */
    static URI metricsUri(int adminPort) {
        return URI.create("http://127.0.0.1:" + adminPort + "/metrics");
    }

    /** This JVM's heap after a full GC, and its direct buffers (NIO's pool plus Netty's own counter). */
    static MemorySample measureThisJvm(long connections, String source) {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct += pool.getMemoryUsed();
            }
        }
        direct += Math.max(0, PlatformDependent.usedDirectMemory());
        return new MemorySample(heap, direct, -1, connections, true, source);
    }
}
