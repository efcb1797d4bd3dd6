package io.switchboard.runtime;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Connections a port holds, in all and per peer address, under two caps: what every port that strangers reach keeps
 * (DESIGN §10). Thread-safe. {@link #admit} counts a connection or says why not; each admitted one is
 * {@link #release}d once. An address the port cannot tell ({@code null}) counts only in all.
 */
public final class ConnectionQuota {
    /** Which cap refused a connection: a fixed set, fit for a metric tag. */
    public enum Cap {
        TOTAL("total"), PER_ADDRESS("per_ip");

        private final String tag;

        Cap(String tag) {
            this.tag = tag;
        }

        /** The cap's name as a metric tag value. */
        public String tag() {
            return tag;
        }
    }

    /** Why a connection was not counted: the cap it met, and that in words. */
    public record Refusal(Cap cap, String reason) {
        @Override
        public String toString() {
            return reason;
        }
    }

    private final int maxTotal;
    private final int maxPerAddress;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int open;

    public ConnectionQuota(int maxTotal, int maxPerAddress) {
        if (maxTotal < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("connection caps must be at least 1: " + maxTotal + ", "
                    + maxPerAddress);
        }
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a connection from {@code address}; returns why not, or {@code null} when it was counted. */
    public synchronized Refusal admit(InetAddress address) {
        if (open >= maxTotal) {
            return new Refusal(Cap.TOTAL, maxTotal + " connections open");
        }
        Refusal own = perAddressRefusal(address);
        if (own != null) {
            return own;
        }
        open++;
        if (address != null) {
            perAddress.merge(address, 1, Integer::sum);
        }
        return null;
    }

    /**
     * Why a connection from {@code address} is refused by the cap per address alone, whatever the total: {@code null}
     * when that cap has room. Counts nothing; a port that makes room in all asks this first, so that a connection its
     * own address may not open closes nobody else's.
     */
    public synchronized Refusal perAddressRefusal(InetAddress address) {
        if (address != null && perAddress.getOrDefault(address, 0) >= maxPerAddress) {
            return new Refusal(Cap.PER_ADDRESS, maxPerAddress + " connections open from " + address.getHostAddress());
        }
        return null;
    }

    /** Uncounts a connection {@link #admit} counted. */
    public synchronized void release(InetAddress address) {
        open--;
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        }
    }

    public synchronized int open() {
        return open;
    }
}
