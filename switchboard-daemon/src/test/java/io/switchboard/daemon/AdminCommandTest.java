package io.switchboard.daemon;

import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandSyntaxException;
import io.switchboard.globaldb.Permission;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"list world", "list machine", "list ip 127.0.0.2", "list pid 42", "start 10.0.0.1 all",
            "start 10.0.0.1 gate-1", "stop 10.0.0.1 all", "stop 10.0.0.1 node_2", "kill 10.0.0.1 4242", "watch"})
    void everyCommandOfTheSpecParsesAndPrintsBack(String line) throws Exception {
        assertThat(AdminCommand.parse("  " + line.replace(" ", "   ") + " ").toString()).isEqualTo(line);
    }

    @Test
    void eachCommandNeedsItsPermission() throws Exception {
        assertThat(AdminCommand.parse("list world").permission()).isEqualTo(Permission.LIST);
        assertThat(AdminCommand.parse("watch").permission()).isEqualTo(Permission.WATCH);
        assertThat(AdminCommand.parse("stop 10.0.0.1 all").permission()).isEqualTo(Permission.STOP);
        assertThat(AdminCommand.parse("kill 10.0.0.1 7").permission()).isEqualTo(Permission.KILL);
        assertThat(AdminCommand.parse("start 10.0.0.1 all").all()).isTrue();
        assertThat(AdminCommand.parse("start 10.0.0.1 gate").all()).isFalse();
        assertThat(AdminCommand.parse("kill 10.0.0.1 7").verb().targetsMachine()).isTrue();
        assertThat(AdminCommand.parse("list ip 10.0.0.1").verb().targetsMachine()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "list", "list world extra", "list ip", "list ip 300.1.1.1", "list pid -3",
            "list pid x", "start 10.0.0.1", "start host all", "stop 10.0.0.1 a.b", "stop 10.0.0.1 $(rm)",
            "kill 10.0.0.1 0", "kill 10.0.0.1", "watch now", "reboot 10.0.0.1", "LIST world"})
    void anythingElseIsRefusedWithAReason(String line) {
        assertThatThrownBy(() -> AdminCommand.parse(line)).isInstanceOf(CommandSyntaxException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void anOverlongLineIsRefusedBeforeItIsSplit() {
        assertThatThrownBy(() -> AdminCommand.parse("list " + "x".repeat(1000)))
                .isInstanceOf(CommandSyntaxException.class).hasMessageContaining("at most");
    }
}
