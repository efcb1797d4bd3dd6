package io.switchboard.daemon;

import io.switchboard.daemon.admin.AdminApiConfig;
import io.switchboard.daemon.link.RouterLink;
import io.switchboard.daemon.link.RouterLinkSettings;
import io.switchboard.daemon.supervisor.LaunchPlan;
import io.switchboard.daemon.supervisor.SupervisorConfig;

import javax.crypto.SecretKey;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What one machine's daemon needs: its inner IP (as the world names it), its admin API, the router to reach, the
 * cluster secret that proves it to the router (required unless the router is on loopback), and how it launches and
 * supervises its processes (the supervisor's record interval and hung factor are also the liveness rule its admin
 * commands report by).
 */
public record DaemonConfig(String ip, AdminApiConfig admin, InetSocketAddress router, Optional<SecretKey> secret,
                           LaunchPlan launchPlan, SupervisorConfig supervisor, RouterLinkSettings link,
                           int runtimeAdminPort) {

    public DaemonConfig {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(launchPlan, "launchPlan");
        Objects.requireNonNull(supervisor, "supervisor");
        Objects.requireNonNull(link, "link");
        // Here as well as in the link: a daemon's options are refused as they are read, before anything starts.
        RouterLink.requireSecretOffLoopback(router, secret);
    }
}
