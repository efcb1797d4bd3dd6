package io.switchboard.daemon;

import io.switchboard.cluster.protocol.ClusterSecret;
import io.switchboard.daemon.admin.AdminApiConfig;
import io.switchboard.daemon.link.RouterLinkSettings;
import io.switchboard.daemon.supervisor.SupervisorConfig;
import io.switchboard.daemon.supervisor.SwitchboardLaunchPlan;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonConfigTest {

    private static DaemonConfig config(String routerHost, Optional<SecretKey> secret) {
        return new DaemonConfig("127.0.0.2", AdminApiConfig.defaults("127.0.0.2", 0),
                new InetSocketAddress(routerHost, 8888), secret,
                SwitchboardLaunchPlan.ofThisJvm(List.of(), "redis://127.0.0.1:6379", Duration.ofSeconds(1)),
                SupervisorConfig.builder(Path.of("logs")).build(), RouterLinkSettings.defaults(), -1);
    }

    @Test
    void withoutASecretTheRouterMustBeOnLoopback() {
        // Refused as the options are read (a usage error), before anything starts.
        assertThatThrownBy(() -> config("192.0.2.1", Optional.empty())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without SWITCHBOARD_CLUSTER_SECRET");
        assertThat(config("127.0.0.1", Optional.empty()).router().getPort()).isEqualTo(8888);
        assertThat(config("192.0.2.1", Optional.of(ClusterSecret.key("the cluster secret, 32 bytes.")))
                .secret()).isPresent();
    }
}
