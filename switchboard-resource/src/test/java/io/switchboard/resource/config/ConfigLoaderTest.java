package io.switchboard.resource.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Seed 000's files as the seed writes them, mended, and broken in every way the checks name. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void theMendedExampleParsesWithoutAProblem() {
        LoadResult result = ConfigLoader.load(ConfDirs.copy("example", dir));

        assertThat(result.problems()).isEmpty();
        ResourceConfig config = result.config();
        assertThat(config.modules()).extracting(ModuleConfig::name).containsExactly("gate", "group");
        ModuleConfig gate = config.module("gate").orElseThrow();
        assertThat(gate.dependencies()).containsExactly("group");
        assertThat(gate.kv()).containsExactly(Map.entry("timeout", "30"), Map.entry("env", "test"));
        Heartbeat heartbeat = new Heartbeat(ProbeAddress.OUT_IP, 5, 3, 3);
        assertThat(gate.endpoints()).containsExactly(
                new Endpoint("gate", "id_01", "shenzhen_01", "set_01", "121.1.1.1", "11.1.1.1", 10101, heartbeat),
                new Endpoint("gate", "id_02", "shenzhen_01", "set_01", "121.1.1.2", "11.1.1.2", 10102, null));
        // The field names win over the seed's swapped comments: out_ip is what "heartbeat_ip": "out_ip" probes.
        assertThat(gate.endpoints().get(0).probeHost()).isEqualTo("11.1.1.1");
        assertThat(config.module("group").orElseThrow().endpoints().get(0).probeHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void theSeedAsWrittenIsRefusedAtTheMissingComma() {
        LoadResult result = ConfigLoader.load(ConfDirs.copy("seed", dir));

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).anySatisfy(problem -> {
            // Line 15 opens "heartbeat_list" right after the heartbeat block's closing brace on line 14.
            assertThat(problem.file()).isEqualTo("idc_gate.conf");
            assertThat(problem.line()).isEqualTo(15);
            assertThat(problem.column()).isEqualTo(21);
            assertThat(problem.message()).contains("was expecting comma");
        });
        assertThat(result.errors()).map(ConfigProblem::toString)
                .contains("depend_gate.conf:8:13: error: gate depends on \"buddy\", which module.conf does not list")
                .anyMatch(line -> line.startsWith("module.conf:11:13:")
                        && line.contains("depend_file of module group: no such file: depend_group.conf"));
    }

    @Test
    void theSeedMendedParsesFileByFile() {
        ConfDirs.copy("seed", dir);
        ConfDirs.edit(dir.resolve("idc_gate.conf"), "}\n                    \"heartbeat_list\"",
                "},\n                    \"heartbeat_list\"");

        LoadResult result = ConfigLoader.load(dir);

        // What is left is the seed's content, not its syntax: buddy is not listed and group has no files.
        assertThat(result.errors()).noneMatch(problem -> problem.file().equals("idc_gate.conf"));
        assertThat(result.errors()).allMatch(problem -> problem.message().contains("buddy")
                || problem.message().contains("no such file"));
    }

    @Test
    void aMissingModuleFileIsAnError() {
        assertThat(ConfigLoader.load(dir).errors()).singleElement()
                .satisfies(problem -> assertThat(problem.toString()).startsWith("module.conf:0:0: error: no such file"));
    }

    @Test
    void badJsonGivesLineAndColumn() throws IOException {
        ConfDirs.copy("example", dir);
        Files.writeString(dir.resolve("kv_gate.conf"), "{\n  \"module\": \"gate\",\n  \"kv_list\": [ { \"key\": x } ]\n}\n");

        assertThat(errors()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo("kv_gate.conf");
            assertThat(problem.line()).isEqualTo(3);
            // Jackson reads the whole unknown token before it complains, so it points just after the x.
            assertThat(problem.column()).isEqualTo(26);
            assertThat(problem.message()).contains("Unrecognized token 'x'");
        });
    }

    @Test
    void aDuplicateEndpointIdIsAnError() {
        ConfDirs.copy("example", dir);
        ConfDirs.edit(dir.resolve("idc_gate.conf"), "\"id_02\"", "\"id_01\"");

        assertThat(errors()).map(ConfigProblem::toString)
                .containsExactly("idc_gate.conf:25:29: error: endpoint id \"id_01\" is used twice in module gate");
    }

    @Test
    void badPortsAreErrors() {
        ConfDirs.copy("example", dir);
        ConfDirs.edit(dir.resolve("idc_gate.conf"), "10101", "70000");
        ConfDirs.edit(dir.resolve("idc_gate.conf"), "10102", "\"10102\"");

        assertThat(errors()).map(ConfigProblem::toString).containsExactly(
                "idc_gate.conf:20:29: error: bad port in a heartbeat_list entry: 70000 (an integer in 1..65535)",
                "idc_gate.conf:28:29: error: bad port in a heartbeat_list entry: \"10102\" (an integer in 1..65535)"
                        .replace("heartbeat_list", "service_list"));
    }

    @Test
    void missingRequiredKeysAreErrorsAndUnknownKeysWarnings() {
        ConfDirs.copy("example", dir);
        ConfDirs.edit(dir.resolve("idc_gate.conf"), "\"lose_time\": 3,", "\"lose_tim\": 3,");

        LoadResult result = ConfigLoader.load(dir);

        assertThat(result.errors()).map(ConfigProblem::toString)
                .containsExactly("idc_gate.conf:9:21: error: missing required key \"lose_time\" in a heartbeat block");
        assertThat(result.warnings()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(12);
            assertThat(problem.message()).startsWith("unknown key \"lose_tim\" in a heartbeat block");
        });
    }

    @Test
    void aPortOffThePlanIsAWarningNamingTheExpectedPort() {
        ConfDirs.copy("example", dir);
        ConfDirs.edit(dir.resolve("idc_group.conf"), "10201", "10301");

        LoadResult result = ConfigLoader.load(dir);

        assertThat(result.ok()).isTrue();
        assertThat(result.warnings()).map(ConfigProblem::toString).containsExactly(
                "idc_group.conf:16:93: warning: port 10301 breaks the port plan for group: expected 10201 "
                        + "([project][service][program])");
    }

    @Test
    void anErrorCodeOutsideTheModulesRangeIsAWarningNamingTheRangeAndItsPlace() {
        ConfDirs.copy("example", dir);
        ConfDirs.edit(dir.resolve("kv_group.conf"), "1002000001", "1001000001");

        LoadResult result = ConfigLoader.load(dir);

        assertThat(result.ok()).isTrue();
        assertThat(result.warnings()).map(ConfigProblem::toString).containsExactly(
                "kv_group.conf:5:37: warning: full_error_code = 1001000001 is outside the error-code range: group's "
                        + "error codes are 1002000001..1002999999 (1,0MM,nnn,nnn, module 2)");
    }

    @Test
    void onlyKeysEndingInErrorCodeAreCheckedAndTheRangeIsInclusiveOfItsEnds() throws IOException {
        ConfDirs.copy("example", dir);
        kv("kv_group.conf", "group", """
                { "key": "error_code", "val": "1002999999" },
                { "key": "Full_Error_Code", "val": 1002000001 },
                { "key": "error_code_hint", "val": "see the wiki" },
                { "key": "zip_code", "val": "518000" },
                { "key": "timeout_error_code", "val": "1002000000" },
                { "key": "kick_error_code", "val": "none" }""");

        assertThat(ConfigLoader.load(dir).warnings()).map(ConfigProblem::message).containsExactly(
                "timeout_error_code = 1002000000 is outside the error-code range: group's error codes are "
                        + "1002000001..1002999999 (1,0MM,nnn,nnn, module 2)",
                "kick_error_code names an error code but \"none\" is not a number: group's error codes are "
                        + "1002000001..1002999999 (1,0MM,nnn,nnn, module 2)");
    }

    @Test
    void aModuleNamedAsAnErrorModuleIsCheckedAgainstItsRangeAndOthersAreNot() throws IOException {
        ConfDirs.copy("example", dir);
        ConfDirs.edit(dir.resolve("module.conf"), "\"module\": \"group\"", "\"module\": \"chat\"");
        ConfDirs.edit(dir.resolve("depend_gate.conf"), "\"group\"", "\"chat\"");
        for (String file : List.of("depend_group.conf", "idc_group.conf")) {
            ConfDirs.edit(dir.resolve(file), "\"module\": \"group\"", "\"module\": \"chat\"");
        }
        kv("kv_group.conf", "chat", "{ \"key\": \"ban_error_code\", \"val\": \"1002000001\" }");
        kv("kv_gate.conf", "gate", "{ \"key\": \"error_code\", \"val\": \"1001000404\" }");

        assertThat(ConfigLoader.load(dir).warnings()).map(ConfigProblem::message)
                .filteredOn(message -> message.contains("error code"))
                .containsExactly("ban_error_code = 1002000001 is outside the error-code range: chat's error codes are "
                        + "1010000001..1010999999 (1,0MM,nnn,nnn, module 10)");
    }

    private void kv(String file, String module, String entries) throws IOException {
        Files.writeString(dir.resolve(file),
                "{\n    \"module\": \"" + module + "\",\n    \"kv_list\": [\n" + entries + "\n    ]\n}\n");
    }

    @Test
    void otherMistakesNameTheirPlace() {
        ConfDirs.copy("example", dir);
        ConfDirs.edit(dir.resolve("idc_gate.conf"), "\"out_ip\",", "\"public\",");
        ConfDirs.edit(dir.resolve("idc_gate.conf"), "\"11.1.1.2\"", "\"gate.example\"");
        ConfDirs.edit(dir.resolve("kv_group.conf"), "\"module\": \"group\"", "\"module\": \"gate\"");

        List<String> errors = errors().stream().map(ConfigProblem::toString).toList();

        assertThat(errors).containsExactly(
                "idc_gate.conf:10:25: error: heartbeat_ip must be \"inner_ip\" or \"out_ip\", was \"public\"",
                "idc_gate.conf:27:29: error: out_ip must be an IP address, was \"gate.example\"",
                "kv_group.conf:2:5: error: kv_group.conf is for module \"gate\" but module.conf names it for \"group\"");
    }

    private List<ConfigProblem> errors() {
        return ConfigLoader.load(dir).errors();
    }
}
