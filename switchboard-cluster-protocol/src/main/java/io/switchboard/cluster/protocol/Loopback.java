package io.switchboard.cluster.protocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/** Whether an address stays on this machine: what links without a secret or TLS are limited to. */
public final class Loopback {
    private Loopback() {
    }

    /** A loopback IP address, or an in-process one (local and embedded channels have no IP). */
    public static boolean isLoopback(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
        }
        return address != null;
    }

    /** Whether {@code host} resolves to a loopback address; a host that does not resolve is not. */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
