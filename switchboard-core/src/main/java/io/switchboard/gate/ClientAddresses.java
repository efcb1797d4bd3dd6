package io.switchboard.gate;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The key a client address is counted under, wherever clients are counted by address: the IP, or an IPv6 address's
 * /64. One IPv6 subscriber is usually given a whole /64, so counting its addresses one by one would give it 2^64
 * places under any per-address cap.
 */
public final class ClientAddresses {
    /** The bytes of an IPv6 address that make its /64. */
    private static final int IPV6_PREFIX_BYTES = 8;

    private ClientAddresses() {
    }

    /** The key of {@code address}: its IP, or its /64 such as {@code 2001:db8:1:2::/64}; {@code null} if unknown. */
    public static String keyOf(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return null;
        }
        InetAddress ip = inet.getAddress();
        if (ip instanceof Inet6Address) {
            byte[] bytes = ip.getAddress();
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < IPV6_PREFIX_BYTES; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return ip.getHostAddress();
    }
}
