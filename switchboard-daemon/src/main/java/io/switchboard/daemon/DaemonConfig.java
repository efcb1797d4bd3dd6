package io.switchboard.daemon;

import io.switchboard.daemon.admin.AdminApiConfig;
import io.switchboard.daemon.link.RouterLinkSettings;
import io.switchboard.daemon.supervisor.LaunchPlan;
import io.switchboard.daemon.supervisor.SupervisorConfig;

import javax.crypto.SecretKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one machine's daemon needs: its inner IP (as the world names it), its admin API, the router to reach, the
 * cluster secret that proves it to the router, how it launches and supervises its processes, and the liveness rule
 * ({@code lastupdate} older than {@code hungFactor} × {@code recordInterval} is hung).
 */
public record DaemonConfig(String ip, AdminApiConfig admin, InetSocketAddress router, Optional<SecretKey> secret,
                           LaunchPlan launchPlan, SupervisorConfig supervisor, RouterLinkSettings link,
                           Duration recordInterval, int hungFactor, int runtimeAdminPort) {

    public DaemonConfig {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(launchPlan, "launchPlan");
        Objects.requireNonNull(supervisor, "supervisor");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(recordInterval, "recordInterval");
        if (hungFactor < 2) {
            throw new IllegalArgumentException("hungFactor must be at least 2: " + hungFactor);
        }
    }
}
