package io.switchboard.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code switchboard resource check}: exit code and every problem printed as file:line:column. */
class ResourceCommandTest {
    @TempDir
    Path dir;

    @Test
    void checkPrintsEachErrorWithItsPlaceAndExitsOne() throws IOException {
        Files.writeString(dir.resolve("module.conf"), """
                {
                    "module_list": [
                        { "module": "gate", "depend_file": "depend_gate.conf", "idc_file": "idc_gate.conf",
                          "kv_file": "kv_gate.conf", "owner": "ops" }
                    ]
                }
                """);
        Files.writeString(dir.resolve("depend_gate.conf"), "{ \"module\": \"gate\", \"depend_list\": [] }");
        Files.writeString(dir.resolve("kv_gate.conf"), "{ \"module\": \"gate\", \"kv_list\": [] } // done");
        StringWriter out = new StringWriter();

        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("resource", "check", "--conf",
                dir.toString());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString())
                .contains("module.conf:4:38: warning: unknown key \"owner\" in a module_list entry")
                .contains("module.conf:3:64: error: idc_file of module gate: no such file: idc_gate.conf")
                .contains("1 error(s), 1 warning(s)");
    }

    @Test
    void checkOfAGoodDirectoryExitsZero() throws IOException {
        Files.writeString(dir.resolve("module.conf"), """
                { "module_list": [ { "module": "gate", "depend_file": "d.conf", "idc_file": "i.conf",
                                     "kv_file": "k.conf" } ] }
                """);
        Files.writeString(dir.resolve("d.conf"), "{ \"module\": \"gate\", \"depend_list\": [] }");
        Files.writeString(dir.resolve("k.conf"), "{ \"module\": \"gate\", \"kv_list\": [ {\"key\": \"a\", \"val\": 1} ] }");
        Files.writeString(dir.resolve("i.conf"), """
                { "module": "gate", "idc_list": [ { "idc": "sz", "set_list": [ { "set": "s1",
                  "service_list": [ { "id": "g1", "inner_ip": "10.0.0.1", "out_ip": "1.2.3.4", "port": 10101 } ] } ] } ] }
                """);
        StringWriter out = new StringWriter();

        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("resource", "check", "--conf",
                dir.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).contains("0 error(s), 0 warning(s)").contains("1 module(s), 1 endpoint(s)");
    }

    @Test
    void resourceWithoutConfIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("resource", "--port", "0");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--conf");
        StringWriter help = new StringWriter();
        assertThat(Main.commandLine().setOut(new PrintWriter(help)).execute("resource", "--help")).isZero();
        assertThat(help.toString()).contains("--bind").contains("--allow-host").contains("check");
    }
}
