package io.switchboard.registry;

import io.switchboard.api.errors.RegistryErrors;

import io.switchboard.common.error.SwitchboardException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistriesTest {

    @Test
    void bareWordIsASchemeAlone() {
        assertThat(RegistryUri.parse("memory")).isEqualTo(new RegistryUri("memory", "", "", Map.of()));
        assertThat(RegistryUri.parse(" Memory: ")).isEqualTo(new RegistryUri("memory", "", "", Map.of()));
        assertThat(RegistryUri.parse("memory").toString()).isEqualTo("memory");
    }

    @Test
    void zooKeeperUriKeepsEveryHostThePathAndOptions() {
        RegistryUri uri = RegistryUri.parse("zk://10.0.0.1:2181,10.0.0.2:2181/switchboard/prod?sessionTimeoutMs=5000&x=a%20b");

        assertThat(uri.scheme()).isEqualTo("zk");
        assertThat(uri.authority()).isEqualTo("10.0.0.1:2181,10.0.0.2:2181");
        assertThat(uri.path()).isEqualTo("/switchboard/prod");
        assertThat(uri.intParameter("sessionTimeoutMs", 1)).isEqualTo(5000);
        assertThat(uri.intParameter("connectionTimeoutMs", 7)).isEqualTo(7);
        assertThat(uri.parameter("x")).contains("a b");
        assertThat(RegistryUri.parse("zk://127.0.0.1:2181").path()).isEmpty();
    }

    @Test
    void malformedUrisAreRejected() {
        assertThatThrownBy(() -> RegistryUri.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RegistryUri.parse("zk://bad host/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RegistryUri.parse("9zk")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RegistryUri.parse("zk://h:1/?t=x").intParameter("t", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Registries.open("memory://somewhere")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownSchemeIsUnsupportedAndNamesWhatExists() {
        assertThatThrownBy(() -> Registries.open("consul://127.0.0.1:8500"))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(RegistryErrors.UNSUPPORTED_REGISTRY);
                    assertThat(e.getMessage()).contains("consul").contains("memory");
                });
    }
}
