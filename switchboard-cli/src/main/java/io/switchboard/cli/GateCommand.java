package io.switchboard.cli;

import io.switchboard.chat.ChatApp;
import io.switchboard.chat.ChatConfig;
import io.switchboard.cluster.ClusterGate;
import io.switchboard.common.port.PortPlan;
import io.switchboard.common.text.Redact;
import io.switchboard.gate.GateConfig;
import io.switchboard.registry.Registry;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.users.LoginPolicy;
import io.switchboard.users.SessionDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code switchboard gate --registry zk://...}: a cluster gate, until drained or signalled. */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = {"Run a cluster gate: clients connect here; messages go to service nodes found in the registry.",
                "Logged-in users are kept in the session directory (--directory): 'memory' is this gate's own, enough "
                        + "for one gate; several gates share a Redis one, so a user logs in once across all of them "
                        + "and nodes push to users on any gate.",
                "With --chat the gate also serves the chat web page on the client port and logs chat clients in by "
                        + "the token in their handshake (chat database from --chat-db, token secret from "
                        + "SWITCHBOARD_CHAT_TOKEN_SECRET, the same on every gate and chat node)."})
final class GateCommand implements Callable<Integer> {

    @Option(names = "--registry", description = "Registry URI, e.g. zk://127.0.0.1:12101/switchboard, or "
            + "resource://127.0.0.1:12201 (the resource manager's topology; the default with --resource)")
    String registry;

    @Mixin
    ResourceOptions resource = new ResourceOptions();

    @Option(names = "--program", description = "Program number in the port plan: client port 101PP, cluster port "
            + "103PP, admin port 199PP (default ${DEFAULT-VALUE}).")
    int program = 1;

    @Option(names = "--id", description = "Process id in the registry (default gate-<program>).")
    String id;

    @Option(names = "--host", description = "Address the client port binds to (default ${DEFAULT-VALUE}).")
    String host = "0.0.0.0";

    @Option(names = "--advertised-host", description = "Host published for nodes and clients (default ${DEFAULT-VALUE}).")
    String advertisedHost = "127.0.0.1";

    @Option(names = "--advertised-cluster-port", description = "Cluster link port published for nodes, where a "
            + "mapping or forwarder leads another port to the bound one (default: the bound port).")
    int advertisedClusterPort;

    @Option(names = "--port", description = "Client port (default from the port plan).")
    Integer port;

    @Option(names = "--cluster-port", description = "Cluster link port (default from the port plan).")
    Integer clusterPort;

    @Option(names = "--cluster-bind", description = "Address the cluster link port binds to (default "
            + "${DEFAULT-VALUE}); anything else needs " + ClusterLinkOptions.SECRET_ENV + " or --cluster-tls-*.")
    String clusterBind = "127.0.0.1";

    @Mixin
    ClusterLinkOptions clusterLink = new ClusterLinkOptions();

    @Mixin
    ProcessRecordOptions records = new ProcessRecordOptions();

    @Option(names = "--admin-port", description = "Admin HTTP port on 127.0.0.1 (default from the port plan; -1 = off).")
    Integer adminPort;

    @Option(names = "--directory", description = "Session directory: 'memory' (this gate only) or "
            + "redis://host:port[/db], shared by the gates (default ${DEFAULT-VALUE}).")
    String directory = SessionDirectories.MEMORY;

    @Option(names = "--login-policy", description = "A second login of a user: ${COMPLETION-CANDIDATES} "
            + "(default ${DEFAULT-VALUE}).")
    LoginPolicy loginPolicy = LoginPolicy.KICK_OLD;

    @Option(names = "--chat", description = "Serve the chat page and accept chat tokens in the handshake "
            + "(implied by --chat-db).")
    boolean chat;

    @Mixin
    ChatOptions chatOptions = new ChatOptions();

    @Mixin
    EventsOptions events = new EventsOptions();

    @Mixin
    ClientPortLimits limits = new ClientPortLimits();

    @Mixin
    ClientTls tls = new ClientTls();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // The resource manager's kv config first: it may set any option the command line leaves alone.
        List<String> appKeys = resource.applyKv(spec, "gate");
        List<ProcessPart> recordParts = records.parts(spec, "gate");
        // Before anything is opened: a limit out of range is a usage error.
        GateConfig.Builder gateConfig = tls.applyTo(limits.applyTo(Startup.checked(spec, () -> GateConfig.builder()
                .host(host).port(port != null ? port : PortPlan.gate(program)))), spec.commandLine())
                .events(events.events(spec.commandLine()));
        clusterLink.security(); // bad --cluster-tls-* files are a usage error before anything is opened
        Registry opened = Startup.registry(spec.commandLine(), resource.registry(spec, registry));
        SessionDirectory users;
        try {
            users = Startup.directory(spec.commandLine(), directory);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        ChatApp chatApp = chat || chatOptions.chatDb != null ? ChatApp.open(chatOptions.config().build()) : null;
        ClusterGate.Builder builder = ClusterGate.builder(opened)
                .id(id != null ? id : "gate-" + program)
                .gate(gateConfig)
                .cluster(clusterBind, clusterPort != null ? clusterPort
                        : PortPlan.port(PortPlan.DEFAULT_PROJECT, PortPlan.SERVICE, program))
                .linkSecurity(clusterLink.security())
                .linkSettings(clusterLink.settings())
                .advertisedHost(advertisedHost)
                .advertisedClusterPort(advertisedClusterPort)
                .admin("127.0.0.1", adminPort != null ? adminPort : PortPlan.admin(program))
                .directory(users)
                .loginPolicy(loginPolicy);
        if (chatApp != null) {
            // The chat's largest request is far below the gate's default body limit: hold clients to it.
            gateConfig.maxBodyLength(ChatConfig.MAX_REQUEST_BYTES);
            builder.acceptor(chatApp.acceptor()).httpFallback(chatApp.webPage());
            tls.warnIfChatInPlainText(host);
        }
        // Routes and room keys come from the nodes' registry entries: this gate knows no app.
        ClusterGate gate = builder.build();
        if (resource.enabled()) {
            gate.runtime().add(resource.part());
        }
        recordParts.forEach(gate.runtime()::add);
        events.addTo(gate.runtime(), spec.commandLine());
        gate.start();
        // On the command's out, as demo does, so an in-process run (a test) sees it.
        spec.commandLine().getOut().printf("switchboard gate %s: clients on tcp://%s:%d, cluster port %d, admin "
                + "http://127.0.0.1:%d, directory %s%s%n", gate.id(), advertisedHost, gate.port(), gate.clusterPort(),
                // A redis:// directory may carry a password: never echo it.
                gate.adminPort(), Redact.userInfo(directory),
                chatApp == null ? "" : ", chat page on http://" + advertisedHost + ":" + gate.port() + "/");
        spec.commandLine().getOut().flush();
        if (!appKeys.isEmpty()) {
            System.out.printf("kv keys of the resource manager that name no option (left to the app): %s%n", appKeys);
        }
        UntilStopped.await(() -> {
            // Leave the registry, stop accepting, drain up to 8 s (seed 001), then let the JVM go.
            gate.shutdown();
            users.close();
            if (chatApp != null) {
                chatApp.close();
            }
            opened.close();
        });
        return 0;
    }
}
