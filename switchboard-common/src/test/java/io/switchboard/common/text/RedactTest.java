package io.switchboard.common.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactTest {

    @Test
    void userInfoIsHiddenWholeWhateverThePasswordHolds() {
        assertThat(Redact.userInfo("redis://:hunter2@127.0.0.1:6379/0")).isEqualTo("redis://***@127.0.0.1:6379/0");
        assertThat(Redact.userInfo("rediss://gate:p@ss/w0rd@h:6380")).isEqualTo("rediss://***@h:6380");
        assertThat(Redact.userInfo("zk://h:2181/switchboard")).isEqualTo("zk://h:2181/switchboard");
        assertThat(Redact.userInfo("not a url @ all")).isEqualTo("not a url @ all");
        assertThat(Redact.userInfo(null)).isNull();
    }
}
