package io.switchboard.runtime;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionQuotaTest {

    @Test
    void capsConnectionsInAllAndPerAddressAndFreesThemOnRelease() throws Exception {
        InetAddress a = InetAddress.getByName("127.0.0.2");
        InetAddress b = InetAddress.getByName("127.0.0.3");
        ConnectionQuota quota = new ConnectionQuota(3, 2);

        assertThat(quota.admit(a)).isNull();
        assertThat(quota.admit(a)).isNull();
        assertThat(quota.admit(a)).isEqualTo(new ConnectionQuota.Refusal(ConnectionQuota.Cap.PER_ADDRESS,
                "2 connections open from 127.0.0.2"));
        assertThat(quota.admit(b)).isNull();
        assertThat(quota.admit(null)).isEqualTo(new ConnectionQuota.Refusal(ConnectionQuota.Cap.TOTAL,
                "3 connections open"));
        assertThat(quota.open()).isEqualTo(3);

        quota.release(a);
        assertThat(quota.admit(a)).isNull();
        quota.release(b);
        assertThat(quota.admit(null)).isNull();
        assertThat(quota.open()).isEqualTo(3);
        assertThatThrownBy(() -> new ConnectionQuota(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tellsWhetherTheCapPerAddressAloneRefusesWhateverTheTotal() throws Exception {
        InetAddress a = InetAddress.getByName("127.0.0.2");
        InetAddress b = InetAddress.getByName("127.0.0.3");
        ConnectionQuota quota = new ConnectionQuota(2, 2);
        quota.admit(a);
        quota.admit(a);

        assertThat(quota.admit(b).cap()).isEqualTo(ConnectionQuota.Cap.TOTAL);
        assertThat(quota.perAddressRefusal(b)).isNull();
        assertThat(quota.perAddressRefusal(null)).isNull();
        assertThat(quota.perAddressRefusal(a)).isEqualTo(new ConnectionQuota.Refusal(ConnectionQuota.Cap.PER_ADDRESS,
                "2 connections open from 127.0.0.2"));
        assertThat(quota.open()).isEqualTo(2);
    }
}
