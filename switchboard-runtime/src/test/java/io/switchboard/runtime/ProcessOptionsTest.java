package io.switchboard.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Each option a kind's builder inherits lands in the process's {@link ProcessConfig}, and returns the kind's type. */
class ProcessOptionsTest {

    /** A kind's builder as the process kinds write theirs. */
    private static final class KindBuilder extends ProcessOptions<KindBuilder> {
        KindBuilder() {
            super(ProcessConfig.builder("kind"));
        }

        ProcessConfig config() {
            return process.build();
        }
    }

    @Test
    void everyOptionReachesTheConfig() {
        ExitHandler exit = status -> { };
        KindBuilder kind = new KindBuilder();
        KindBuilder same = kind.id("kind-7").version(3).workerThreads(5).workerQueue(99)
                .shutdownGrace(Duration.ofSeconds(2)).admin("127.0.0.2", 4000).adminToken("t0ken").exitHandler(exit);
        assertThat(same).isSameAs(kind);
        ProcessConfig config = kind.config();
        assertThat(config.kind()).isEqualTo("kind");
        assertThat(config.id()).isEqualTo("kind-7");
        assertThat(config.version()).isEqualTo(3);
        assertThat(config.workerThreads()).isEqualTo(5);
        assertThat(config.workerQueue()).isEqualTo(99);
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.adminHost()).isEqualTo("127.0.0.2");
        assertThat(config.adminPort()).isEqualTo(4000);
        assertThat(config.adminToken()).isEqualTo("t0ken");
        assertThat(config.exit()).isSameAs(exit);
    }

    @Test
    void adminPortIsOnLoopback() {
        ProcessConfig config = new KindBuilder().admin("0.0.0.0", 1).adminPort(ProcessConfig.ADMIN_OFF).config();
        assertThat(config.adminHost()).isEqualTo(ProcessConfig.DEFAULT_ADMIN_HOST);
        assertThat(config.adminPort()).isEqualTo(ProcessConfig.ADMIN_OFF);
        assertThat(config.adminEnabled()).isFalse();
    }
}
