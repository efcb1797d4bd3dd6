package io.switchboard.cli;

import io.switchboard.chat.ChatConfig;
import io.switchboard.common.port.PortPlan;
import io.switchboard.demo.DemoServer;
import io.switchboard.gate.GateConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.switchboard.runtime.ProcessPart;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code switchboard demo}: the standalone server with the demo app, until Ctrl+C. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the standalone server (gate + demo app + chat app) in this JVM.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", description = "Client port for TCP and WebSocket (default ${DEFAULT-VALUE}, from the port plan).")
    int port = PortPlan.gate(1);

    @Option(names = "--admin-port", description = "Admin HTTP port on 127.0.0.1: /health, /metrics (default ${DEFAULT-VALUE}; -1 = off).")
    int adminPort = PortPlan.admin(1);

    @Option(names = "--host", description = "Address the client port binds to (default ${DEFAULT-VALUE}).")
    String host = "0.0.0.0";

    @Option(names = "--heartbeat", description = "Heartbeat interval in seconds told to clients (default ${DEFAULT-VALUE}).")
    int heartbeat = 30;

    @Option(names = "--max-body", description = "Largest client package body in bytes (default ${DEFAULT-VALUE}: what the "
            + "chat's largest request needs).")
    int maxBody = ChatConfig.MAX_REQUEST_BYTES;

    @CommandLine.Mixin
    ClientPortLimits limits = new ClientPortLimits();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ClientTls tls = new ClientTls();

    @Option(names = "--chat-db", description = "Chat database JDBC URL (default: an H2 file under ./data).")
    String chatDb;

    @Option(names = "--chat-db-user", description = "Chat database user; the password comes from "
            + ChatOptions.DB_PASSWORD_ENV + ".")
    String chatDbUser;

    @CommandLine.Mixin
    ProcessRecordOptions records = new ProcessRecordOptions();

    @CommandLine.Mixin
    EventsOptions events = new EventsOptions();

    @Option(names = "--node-id", description = "Snowflake node id of this process, 0-1023 (default ${DEFAULT-VALUE}).")
    int nodeId = 1;

    @Override
    public Integer call() throws Exception {
        List<ProcessPart> recordParts = records.parts(spec, "demo");
        GateConfig.Builder gate = limits.applyTo(Startup.checked(spec, () -> GateConfig.builder().host(host)
                .port(port).heartbeat(Duration.ofSeconds(heartbeat)).maxBodyLength(maxBody)));
        tls.applyTo(gate, spec.commandLine());
        tls.warnIfChatInPlainText(host);
        // Before anything is opened: a bad --events URL is a usage error.
        gate.events(events.events(spec.commandLine()));
        ChatConfig.Builder chat = ChatConfig.builder().nodeId(nodeId).events(events.events(spec.commandLine()));
        if (chatDb != null) {
            chat.jdbcUrl(chatDb);
        }
        if (chatDbUser != null) {
            chat.username(chatDbUser);
        }
        // From the environment only: a password on the command line shows in ps.
        String password = System.getenv(ChatOptions.DB_PASSWORD_ENV);
        if (password != null) {
            chat.password(password);
        }
        // The token secret comes from the environment, not a flag, so it does not show in ps.
        String secret = System.getenv("SWITCHBOARD_CHAT_TOKEN_SECRET");
        if (secret != null) {
            chat.tokenSecret(secret);
        }
        List<ProcessPart> parts = new ArrayList<>(List.of(events.parts(spec.commandLine())));
        parts.addAll(recordParts);
        DemoServer server = DemoServer.start(gate, adminPort, chat.build(), parts.toArray(ProcessPart[]::new));
        spec.commandLine().getOut().printf("switchboard demo: clients on tcp://%s:%d and ws://%s:%d, chat page on http://127.0.0.1:%d/,"
                + " admin on http://127.0.0.1:%d%n", host, server.port(), host, server.port(), server.port(),
                server.adminPort());
        spec.commandLine().getOut().flush();
        UntilStopped.await(() -> {
            // Stop accepting, let sessions end for up to the shutdown grace (DESIGN §5), then close.
            server.server().runtime().shutdown();
            server.close();
        });
        return 0;
    }
}
