package io.switchboard.cli;

import io.switchboard.daemon.command.LocalCommands;
import io.switchboard.daemon.link.RouterLink;
import io.switchboard.daemon.link.RouterLinkSettings;
import io.switchboard.daemon.machine.MachineControl;
import io.switchboard.daemon.machine.ProcessStatus;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.globaldb.InMemoryGlobalDb;
import io.switchboard.globaldb.World;
import io.switchboard.runtime.ProcessRuntime;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code switchboard router}: its options, its refusals before anything opens, and a router that daemons reach. */
class RouterCommandTest {

    @Test
    void helpNamesTheOptions() {
        StringWriter help = new StringWriter();
        assertThat(Main.commandLine().setOut(new PrintWriter(help)).execute("router", "--help")).isZero();
        assertThat(help.toString()).contains("--port").contains("--host").contains("--globaldb")
                .contains("SWITCHBOARD_CLUSTER_SECRET").contains("8888");
    }

    @Test
    void aGlobalDbThatIsNotARedisUrlIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("router", "--port", "0", "--globaldb",
                "mysql://127.0.0.1/world");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--globaldb: not a redis:// or rediss:// URL");
    }

    @Test
    void withoutASecretTheRouterListensOnLoopbackOnly() {
        RouterCommand command = new RouterCommand();
        new CommandLine(command).parseArgs("--host", "192.0.2.1");
        assertThatThrownBy(() -> command.settings(Optional.empty())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without SWITCHBOARD_CLUSTER_SECRET");
    }

    @Test
    void aStartedRouterTakesTheDaemonOfAMachineOfTheWorld() throws Exception {
        InMemoryGlobalDb db = new InMemoryGlobalDb(1);
        db.replaceWorld(new World(Map.of("r1", Map.of("127.0.0.2", List.of()))));
        RouterCommand command = new RouterCommand();
        StringWriter out = new StringWriter();
        CommandLine line = new CommandLine(command).setOut(new PrintWriter(out));
        line.parseArgs("--port", "0", "--admin-port", "-1");

        try (ProcessRuntime runtime = command.start(db, Optional.empty(), command.settings(Optional.empty()))) {
            int port = runtime.health().at("/router/port").asInt();
            assertThat(out.toString()).contains("switchboard router: daemons on 127.0.0.1:" + port
                    + " (loopback only), 1 machine(s) in the world, admin off");
            try (RouterLink link = new RouterLink("127.0.0.2", new InetSocketAddress("127.0.0.1", port),
                    new LocalCommands(new IdleMachine()), Optional.empty(), RouterLinkSettings.defaults()).start()) {
                await().atMost(10, TimeUnit.SECONDS).until(link::isConnected);
                assertThat(runtime.health().at("/router/daemons/0").asText()).isEqualTo("127.0.0.2");
            }
        }
    }

    /** A machine no command reaches in this test. */
    private static final class IdleMachine implements MachineControl {
        @Override
        public List<ProcessStatus> status() {
            return List.of();
        }

        @Override
        public CompletableFuture<CommandResult> start(String nameOrAll) {
            throw new AssertionError("no command expected");
        }

        @Override
        public CompletableFuture<CommandResult> stop(String nameOrAll) {
            throw new AssertionError("no command expected");
        }

        @Override
        public CompletableFuture<CommandResult> kill(long pid) {
            throw new AssertionError("no command expected");
        }

        @Override
        public List<String> logTail(String name, int maxLines) {
            return List.of();
        }
    }
}
