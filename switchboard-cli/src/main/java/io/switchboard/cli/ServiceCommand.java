package io.switchboard.cli;

import io.switchboard.chat.ChatApp;
import io.switchboard.cluster.ServiceNode;
import io.switchboard.common.port.PortPlan;
import io.switchboard.demo.DemoApp;
import io.switchboard.api.Handlers;
import io.switchboard.registry.Registry;
import io.switchboard.runtime.ProcessPart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code switchboard service demo|chat --registry zk://...}: a service node, until drained or signalled. */
@Command(name = "service",
        description = {"Run a service node that links to every gate in the registry. Services: demo, chat.",
                "chat: the chat routes (chat.*) on a database shared by every chat node and by the gates started with "
                        + "--chat (--chat-db; PostgreSQL, MariaDB/MySQL, or H2 with ;AUTO_SERVER=TRUE); the token secret comes from "
                        + "SWITCHBOARD_CHAT_TOKEN_SECRET, the same everywhere. Logins and pushes go through the "
                        + "gates' session directory, so run the gates with a shared --directory when there are several."})
final class ServiceCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The service to run: demo or chat.")
    String service;

    @CommandLine.Mixin
    ChatOptions chatOptions = new ChatOptions();

    @CommandLine.Mixin
    ClusterLinkOptions clusterLink = new ClusterLinkOptions();

    @CommandLine.Mixin
    ProcessRecordOptions records = new ProcessRecordOptions();

    @CommandLine.Mixin
    EventsOptions events = new EventsOptions();

    @Option(names = "--registry", description = "Registry URI, e.g. zk://127.0.0.1:12101/switchboard, or "
            + "resource://127.0.0.1:12201 (the resource manager's topology; the default with --resource)")
    String registry;

    @CommandLine.Mixin
    ResourceOptions resource = new ResourceOptions();

    @Option(names = "--program", description = "Program number: admin port 199PP is 50 + program "
            + "(default ${DEFAULT-VALUE}).")
    int program = 1;

    @Option(names = "--id", description = "Process id in the registry (default <service>-<program>).")
    String id;

    // Not mixinStandardHelpOptions: its --version (print the program's version) would clash with this one.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", description = "Version of the service code; a higher one drains older nodes "
            + "(default ${DEFAULT-VALUE}).")
    int version = 1;

    @Option(names = "--admin-port", description = "Admin HTTP port on 127.0.0.1 (default from the port plan; -1 = off).")
    Integer adminPort;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!"demo".equals(service) && !"chat".equals(service)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown service '" + service
                    + "' (available: demo, chat)");
        }
        // The resource manager's kv config first: it may set any option the command line leaves alone.
        List<String> appKeys = resource.applyKv(spec, service);
        List<ProcessPart> recordParts = records.parts(spec, "service:" + service);
        events.events(spec.commandLine()); // a bad URL is a usage error before anything is opened
        Handlers handlers = new Handlers();
        clusterLink.security(); // bad --cluster-tls-* files are a usage error before anything is opened
        Registry opened = Startup.registry(spec.commandLine(), resource.registry(spec, registry));
        ServiceNode node = ServiceNode.builder(opened, service, handlers)
                .id(id != null ? id : service + "-" + program)
                .version(version)
                // Gates take admin programs 1..49 of the plan, nodes 51..99.
                .admin("127.0.0.1", adminPort != null ? adminPort : PortPlan.admin(50 + program))
                .linkSecurity(clusterLink.security())
                .linkSettings(clusterLink.settings())
                .build();
        // Chat's snowflake ids carry the node id the registry assigns, never one from a flag (DESIGN §5).
        ChatApp chat = "chat".equals(service)
                ? ChatApp.open(chatOptions.config().nodeIds(node::assignedNodeId)
                        .events(events.events(spec.commandLine())).build()) : null;
        if (chat != null) {
            chat.register(handlers, node.users());
        } else {
            DemoApp.register(handlers);
        }
        if (resource.enabled()) {
            node.runtime().add(resource.part());
        }
        recordParts.forEach(node.runtime()::add);
        events.addTo(node.runtime(), spec.commandLine());
        node.start();
        System.out.printf("switchboard service %s: node %s (node id %d, version %d), admin http://127.0.0.1:%d%n",
                service, node.id(), node.nodeId(), version, node.adminPort());
        if (!appKeys.isEmpty()) {
            System.out.printf("kv keys of the resource manager that name no option (left to the app): %s%n", appKeys);
        }
        UntilStopped.await(() -> {
            node.shutdown();
            if (chat != null) {
                chat.close();
            }
            opened.close();
        });
        return 0;
    }
}
