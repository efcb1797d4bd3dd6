package io.switchboard.cli;

import io.switchboard.gate.GateConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.File;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientTlsTest {

    @Test
    void theChatPageInPlainTextBeyondLoopbackIsWarnedAbout() {
        ClientTls tls = new ClientTls();
        assertThat(tls.warnIfChatInPlainText("0.0.0.0")).contains("without TLS", "--tls-cert");
        assertThat(tls.warnIfChatInPlainText("127.0.0.1")).isNull();
        assertThat(tls.warnIfChatInPlainText("localhost")).isNull();
        tls.cert = new File("cert.pem");
        tls.key = new File("key.pem");
        assertThat(tls.warnIfChatInPlainText("0.0.0.0")).as("served over TLS").isNull();
    }

    @Test
    void aCertificateWithoutItsKeyIsAUsageError() {
        ClientTls tls = new ClientTls();
        tls.cert = new File("cert.pem");
        CommandLine commandLine = new CommandLine(new Main());
        assertThatThrownBy(() -> tls.applyTo(GateConfig.builder(), commandLine))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("go together");
    }

    @Test
    void theGateTakesTheSameTlsFlagsAsTheDemo() {
        String gateHelp = new CommandLine(new Main()).getSubcommands().get("gate").getUsageMessage();
        String demoHelp = new CommandLine(new Main()).getSubcommands().get("demo").getUsageMessage();
        assertThat(gateHelp).contains("--tls-cert", "--tls-key");
        assertThat(demoHelp).contains("--tls-cert", "--tls-key");
    }
}
