package io.switchboard.globaldb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class WorldFileTest {
    /** The example the README runs, shipped at the repository's root. */
    static final Path EXAMPLE = Path.of("..", "examples", "world.json");

    @TempDir
    Path dir;

    private static World parse(String json) throws WorldFileException {
        return WorldFile.parse("w.json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static WorldFileException refused(String json) {
        return catchThrowableOfType(() -> parse(json), WorldFileException.class);
    }

    @Test
    void theShippedExampleIsAValidTwoMachineWorld() throws Exception {
        World world = WorldFile.read(EXAMPLE);
        assertThat(world.machines()).extracting(World.Machine::ip).containsExactly("127.0.0.2", "127.0.0.3");
        assertThat(world.machines()).allMatch(m -> m.region().equals("local"));
        assertThat(world.machine("127.0.0.2").orElseThrow().processes()).extracting(ProcessSpec::type)
                .containsExactly("registry", "gate");
        assertThat(world.machine("127.0.0.3").orElseThrow().processes()).extracting(ProcessSpec::type)
                .containsExactly("service:demo", "cmd");
        assertThat(world.machine("127.0.0.3").orElseThrow().process("files").orElseThrow().cmd()).isEqualTo("python3");
    }

    @Test
    void whatIsWrittenReadsBackTheSame() throws Exception {
        World world = WorldFile.read(EXAMPLE);
        String written = WorldFile.write(world);
        assertThat(parse(written)).isEqualTo(world);
        assertThat(written).doesNotContain("null").contains("\"type\" : \"cmd\"");
    }

    @Test
    void aWorldInMemoryIsCheckedByTheRulesOfAFile() throws Exception {
        WorldFile.check(WorldFile.read(EXAMPLE), "example"); // throws if it finds anything
        World world = new World(Map.of(
                "a.b", Map.of(),
                "east", Map.of("300.1.1.1", List.of(), "10.0.0.1", List.of(
                        new ProcessSpec("gate", "all", "10.0.0.1", 70_000, null, null, null, null),
                        new ProcessSpec("cmd", "tool", "10.0.0.1", 2, null, null, null,
                                Map.of("SWITCHBOARD_X", "1")),
                        new ProcessSpec("registry", "reg", "10.0.0.1", 3, 0, null, null, null),
                        new ProcessSpec("demo", "same-port", "10.0.0.1", 3, null, null, null, null)))));
        WorldFileException e = catchThrowableOfType(WorldFileException.class, () -> WorldFile.check(world, "mem"));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.problems()).extracting(p -> p.path() + ": " + p.message()).containsExactlyInAnyOrder(
                "$['a.b']: region 'a.b' is not 1-64 letters, digits, '_' or '-' (no '.': process keys are "
                        + "region.ip.name)",
                "$['east']['300.1.1.1']: '300.1.1.1' is not a machine inner IPv4 address such as 10.0.0.1",
                "$['east']['10.0.0.1'][0].name: the name 'all' is reserved (start IP all)",
                "$['east']['10.0.0.1'][0].port: port 70000 is out of range 1-65535",
                "$['east']['10.0.0.1'][1].cmd: missing cmd",
                "$['east']['10.0.0.1'][1].env: 'SWITCHBOARD_X' is Switchboard's own variable (SWITCHBOARD_*), set by "
                        + "the daemon, not by a world file",
                "$['east']['10.0.0.1'][2].agentcount: agentcount 0 is out of range 1-1024",
                "$['east']['10.0.0.1'][3].port: 10.0.0.1:3 is taken by east.10.0.0.1.reg already");
        assertThat(e.problems()).extracting(WorldProblem::source).containsOnly("mem");
    }

    @Test
    void malformedJsonIsRefusedWithItsLineAndColumn() {
        WorldFileException e = refused("{\n  \"east\": {\n    \"10.0.0.1\": [ { \"type\": \"gate\", }\n  }\n}");
        assertThat(e.problems()).hasSize(1);
        WorldProblem problem = e.problems().get(0);
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.toString()).startsWith("w.json:3:").contains("malformed JSON");
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        assertThat(refused("{\"east\": {}, \"east\": {}}").getMessage()).contains("Duplicate field 'east'");
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPlace() {
        WorldFileException e = refused("""
                {
                  "a.b": {},
                  "east": {
                    "300.1.1.1": [],
                    "10.0.0.1": [
                      { "type": "gate", "name": "all", "host": "10.0.0.1", "port": 70000, "colour": "red" },
                      { "type": "gateway", "name": "g2", "host": "10.0.0.1", "port": 1 },
                      { "type": "cmd", "name": "tool", "host": "10.0.0.1", "port": 2 },
                      { "type": "gate", "name": "g3", "host": "10.0.0.1", "port": 3, "cmd": "/bin/true" },
                      { "type": "registry", "name": "dup", "host": "10.0.0.1", "port": 4 },
                      { "type": "resource", "name": "dup", "host": "10.0.0.1", "port": 5 },
                      { "type": "demo", "name": "same-port", "host": "10.0.0.1", "port": 4 },
                      { "type": "gate", "name": "x.y", "host": "10.0.0.1", "port": 6, "agentcount": 0 },
                      "not an object"
                    ]
                  },
                  "west": { "10.0.0.1": [ { "name": "n", "host": "h", "port": 7, "env": { "1A": "x" } } ] }
                }
                """);
        assertThat(e.problems()).extracting(WorldProblem::toString).containsExactlyInAnyOrder(
                "w.json:2:3: $['a.b']: region 'a.b' is not 1-64 letters, digits, '_' or '-' (no '.': process keys are"
                        + " region.ip.name)",
                "w.json:4:5: $['east']['300.1.1.1']: '300.1.1.1' is not a machine inner IPv4 address such as 10.0.0.1",
                "w.json:6:75: $['east']['10.0.0.1'][0]: unknown field 'colour' (known: type, name, host, port, "
                        + "agentcount, cmd, args, env)",
                "w.json:6:25: $['east']['10.0.0.1'][0].name: the name 'all' is reserved (start IP all)",
                "w.json:6:60: $['east']['10.0.0.1'][0].port: port 70000 is out of range 1-65535",
                "w.json:7:9: $['east']['10.0.0.1'][1].type: type 'gateway' is not one of gate, service:demo, "
                        + "service:chat, registry, resource, demo, router, cmd",
                "w.json:8:7: $['east']['10.0.0.1'][2].cmd: missing cmd",
                "w.json:9:70: $['east']['10.0.0.1'][3].cmd: only a process of type cmd has a cmd; a gate is run by "
                        + "switchboard",
                "w.json:11:7: $['east']['10.0.0.1'][5]: name 'dup' is taken on this machine by [4]",
                "w.json:12:66: $['east']['10.0.0.1'][6].port: 10.0.0.1:4 is taken by east.10.0.0.1.dup already",
                "w.json:13:25: $['east']['10.0.0.1'][7].name: name 'x.y' is not 1-64 of A-Z, a-z, 0-9, '_' or '-'",
                "w.json:13:71: $['east']['10.0.0.1'][7].agentcount: agentcount 0 is out of range 1-1024",
                "w.json:14:7: $['east']['10.0.0.1'][8]: a process spec is an object {type,name,host,port,...}",
                "w.json:17:13: $['west']['10.0.0.1']: machine 10.0.0.1 is in region 'east' already: a machine "
                        + "belongs to one region",
                "w.json:17:27: $['west']['10.0.0.1'][0].type: missing type",
                "w.json:17:66: $['west']['10.0.0.1'][0].env: '1A' is not an environment variable name");
    }

    @Test
    void theFrameworksOwnVariablesAreNotTheWorldFilesToSet() throws Exception {
        // The daemon applies a spec's env after its own, so these would make a child write another key's record,
        // report to another globaldb, or carry a secret kept out of globaldb.
        WorldFileException e = refused("""
                {"east": {"10.0.0.1": [
                  { "type": "gate", "name": "g", "host": "10.0.0.1", "port": 1,
                    "env": { "SWITCHBOARD_PROCESS_KEY": "east.10.0.0.9.other", "TZ": "UTC" } },
                  { "type": "cmd", "name": "c", "host": "10.0.0.1", "port": 2, "cmd": "/bin/true",
                    "env": { "switchboard_globaldb": "redis://elsewhere:6379", "SWITCHBOARD_ADMIN_TOKEN": "t0ken" } }
                ]}}
                """);
        assertThat(e.problems()).extracting(WorldProblem::toString).containsExactlyInAnyOrder(
                "w.json:3:5: $['east']['10.0.0.1'][0].env: 'SWITCHBOARD_PROCESS_KEY' is Switchboard's own variable "
                        + "(SWITCHBOARD_*), set by the daemon, not by a world file",
                "w.json:5:5: $['east']['10.0.0.1'][1].env: 'switchboard_globaldb' is Switchboard's own variable "
                        + "(SWITCHBOARD_*), set by the daemon, not by a world file",
                "w.json:5:5: $['east']['10.0.0.1'][1].env: 'SWITCHBOARD_ADMIN_TOKEN' is Switchboard's own variable "
                        + "(SWITCHBOARD_*), set by the daemon, not by a world file");
        assertThat(e.getMessage()).as("a value is never repeated").doesNotContain("t0ken");
        assertThat(parse("{\"east\": {\"10.0.0.1\": [{\"type\": \"cmd\", \"name\": \"c\", \"host\": \"h\", "
                + "\"port\": 1, \"cmd\": \"x\", \"env\": {\"MY_SWITCHBOARD_X\": \"1\"}}]}}").regions())
                .as("only the prefix is reserved").containsKey("east");
    }

    @Test
    void theShapeIsCheckedAtEachLevel() {
        assertThat(refused("[]").getMessage()).contains("w.json:1:1: $: a world file is one JSON object");
        assertThat(refused("{\"east\": []}").getMessage()).contains("$['east']: a region is an object");
        assertThat(refused("{\"east\": {\"10.0.0.1\": {}}}").getMessage())
                .contains("$['east']['10.0.0.1']: a machine is a list of process specs");
        assertThat(refused("{} {}").getMessage()).contains("content after the world's closing '}'");
        assertThat(refused("{\"e\": {\"10.0.0.1\": [{\"type\": \"gate\", \"name\": 5, \"host\": \"h\", "
                + "\"port\": \"80\", \"args\": [1]}]}}").problems()).extracting(WorldProblem::message)
                .containsExactlyInAnyOrder("name is not a string", "port is not a whole number",
                        "args holds number 1, not a string");
    }

    @Test
    void aFileAboveTheCapIsRefusedUnread() throws IOException {
        Path big = dir.resolve("big.json");
        Files.write(big, new byte[WorldFile.MAX_BYTES + 1]);
        assertThatThrownBy(() -> WorldFile.read(big)).isInstanceOf(WorldFileException.class)
                .hasMessageContaining("more than the " + WorldFile.MAX_BYTES);
    }

    @Test
    void regionsMayBeNamedInAnyScriptButNotWithDots() throws Exception {
        assertThat(parse("{\"大区1\": {}}").regions()).containsKey("大区1");
    }
}
