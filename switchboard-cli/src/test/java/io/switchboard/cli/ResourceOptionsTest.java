package io.switchboard.cli;

import io.switchboard.gate.GateConfig;
import io.switchboard.resource.ResourceServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code gate --resource ...}: the module's kv config from a real resource manager sets the options left alone. */
class ResourceOptionsTest {
    @TempDir
    Path dir;
    private ResourceServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void kvSetsTheOptionsItNamesUnlessTheCommandLineGivesThem() throws Exception {
        start("""
                { "key": "max_connections", "val": "77" }, { "key": "max-handshake", "val": "2048" },
                { "key": "login_policy", "val": "REFUSE_NEW" }, { "key": "chat", "val": "true" },
                { "key": "resource", "val": "http://elsewhere:1" }, { "key": "env", "val": "test" }""");
        ParseResult parsed = Main.commandLine().parseArgs("gate", "--resource", server.address(), "--idc", "sz",
                "--max-handshake", "512");
        GateCommand gate = parsed.subcommand().commandSpec().commandLine().getCommand();

        var left = gate.resource.applyKv(parsed.subcommand().commandSpec(), "gate");

        assertThat(gate.limits.maxConnections).isEqualTo(77);
        assertThat(gate.limits.maxHandshake).as("the command line wins").isEqualTo(512);
        assertThat(gate.loginPolicy).hasToString("REFUSE_NEW");
        assertThat(gate.chat).isTrue();
        assertThat(gate.resource.resource.toString()).as("kv cannot move the manager").isEqualTo(server.address());
        assertThat(left).containsExactly("resource", "env");
        assertThat(gate.resource.registry(parsed.subcommand().commandSpec(), null))
                .isEqualTo("resource://127.0.0.1:" + server.port());
        assertThat(gate.resource.part().client().index()).as("not following before the process starts").isEqualTo(-1);
        gate.resource.part().close();
    }

    @Test
    void aValueOfTheWrongTypeIsAUsageErrorNamingTheKey() throws Exception {
        start("{ \"key\": \"max_connections\", \"val\": \"many\" }");
        ParseResult parsed = Main.commandLine().parseArgs("gate", "--resource", server.address());
        GateCommand gate = parsed.subcommand().commandSpec().commandLine().getCommand();

        assertThatThrownBy(() -> gate.resource.applyKv(parsed.subcommand().commandSpec(), "gate"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("kv key 'max_connections'").hasMessageContaining("'many'")
                .hasMessageContaining("--max-connections");
        assertThat(gate.limits.maxConnections).isEqualTo(GateConfig.DEFAULT_MAX_CONNECTIONS);
        gate.resource.part().close();
    }

    @Test
    void anUnknownModuleOrNoManagerIsAClearError() throws Exception {
        start("");
        ParseResult parsed = Main.commandLine().parseArgs("service", "demo", "--resource", server.address());
        ServiceCommand service = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertThatThrownBy(() -> service.resource.applyKv(parsed.subcommand().commandSpec(), "demo"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("kv config of module demo");

        ParseResult neither = Main.commandLine().parseArgs("service", "demo");
        ServiceCommand bare = neither.subcommand().commandSpec().commandLine().getCommand();
        assertThat(bare.resource.applyKv(neither.subcommand().commandSpec(), "demo")).isEmpty();
        assertThatThrownBy(() -> bare.resource.registry(neither.subcommand().commandSpec(), null))
                .hasMessageContaining("give --registry, or --resource");
        assertThat(bare.resource.registry(neither.subcommand().commandSpec(), "zk://h:1/x")).isEqualTo("zk://h:1/x");
    }

    private void start(String kv) throws Exception {
        write("module.conf", """
                { "module_list": [ { "module": "gate", "depend_file": "d.conf", "idc_file": "i.conf",
                                     "kv_file": "k.conf" } ] }""");
        write("d.conf", "{ \"module\": \"gate\", \"depend_list\": [] }");
        write("k.conf", "{ \"module\": \"gate\", \"kv_list\": [ " + kv + " ] }");
        write("i.conf", """
                { "module": "gate", "idc_list": [ { "idc": "sz", "set_list": [ { "set": "s1",
                  "service_list": [ { "id": "g1", "inner_ip": "127.0.0.1", "out_ip": "127.0.0.1", "port": 10101 } ] } ] } ] }""");
        server = ResourceServer.builder(dir).port(0).admin("127.0.0.1", -1).build().start();
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }
}
