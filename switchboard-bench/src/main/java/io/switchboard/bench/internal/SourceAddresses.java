package io.switchboard.bench.internal;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where connections come from, and whether the process may open that many. One source address gives one
 * local port range (about 28,000 ports by default) towards one server address; connections to a loopback
 * server are spread over 127.0.0.1, 127.0.0.2, ... so a single machine can open 100,000 and more.
 */
public final class SourceAddresses {
    /** Sockets this process needs beyond the connections themselves: jars, epoll, pipes, the JVM's own. */
    static final int FILE_MARGIN = 256;
    /** Ports left free on each source address, for everything else on the machine. */
    private static final int PORT_MARGIN = 1000;

    private SourceAddresses() {
    }

    /**
     * The source addresses for {@code connections} connections to {@code target}: none (the kernel
     * chooses) when one address has ports enough or the target is not on loopback; otherwise as many
     * 127.0.0.x addresses as needed, or exactly {@code requested} when that is positive.
     */
    static List<InetAddress> forConnections(int connections, InetSocketAddress target, int requested) {
        int perAddress = Math.max(1, localPorts() - PORT_MARGIN);
        int count = requested > 0 ? requested : (connections + perAddress - 1) / perAddress;
        if (count <= 1 && requested <= 0 || !target.getAddress().isLoopbackAddress()) {
            return List.of();
        }
        List<InetAddress> sources = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            try {
                sources.add(InetAddress.getByAddress(new byte[] {127, 0, (byte) (i >> 8), (byte) (i & 0xFF)}));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return sources;
    }

    /** The size of the kernel's ephemeral port range, or the common default where it cannot be read. */
    static int localPorts() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (Exception e) {
            return 28_232;
        }
    }

    /** This process's limit on open files (the nofile soft limit), or -1 where the JVM cannot tell. */
    public static long fileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /**
     * Null when {@code connections} fit under the file limit; otherwise what to do about it.
     *
     * @param bothEnds the server runs in this process too, so each connection costs two descriptors
     */
    static String checkFileLimit(int connections, boolean bothEnds) {
        long limit = fileLimit();
        long needed = (long) connections * (bothEnds ? 2 : 1) + FILE_MARGIN;
        if (limit < 0 || needed <= limit) {
            return null;
        }
        return "the open-file limit (nofile) is " + limit + ", too low for " + connections + " connections"
                + (bothEnds ? " with the server in this process (two descriptors each)" : "") + ": need at least "
                + needed + "; raise it (ulimit -n " + needed + ", or LimitNOFILE= for a service) or open fewer"
                + " connections (at most " + Math.max(0, (limit - FILE_MARGIN) / (bothEnds ? 2 : 1)) + " here)";
    }
}
