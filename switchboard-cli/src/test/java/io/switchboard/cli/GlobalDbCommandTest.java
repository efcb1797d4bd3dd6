package io.switchboard.cli;

import io.switchboard.globaldb.Role;
import io.switchboard.globaldb.World;
import io.switchboard.globaldb.WorldFile;
import io.switchboard.globaldb.redis.RedisGlobalDb;
import io.switchboard.testing.FreePort;
import io.switchboard.testing.RedisServerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code switchboard globaldb ...} through picocli against a real redis-server. */
class GlobalDbCommandTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "world.json");
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void emptyGlobalDb() {
        try (RedisGlobalDb db = RedisGlobalDb.connect(redis.uri())) {
            db.replaceWorld(World.empty());
        }
    }

    private CommandLine commandLine() {
        return Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    }

    private int run(String... args) {
        return commandLine().execute(args);
    }

    private static CommandLine sub(CommandLine root, String... path) {
        CommandLine at = root;
        for (String name : path) {
            at = at.getSubcommands().get(name);
        }
        return at;
    }

    @Test
    void anImportedWorldExportsAsTheSameWorldToStandardOutputOrAFile() throws Exception {
        assertThat(run("globaldb", "import", EXAMPLE.toString(), "--globaldb", redis.uri())).isZero();
        assertThat(out.toString()).contains("1 region(s), 2 machine(s), 4 process(es)")
                .contains(redis.uri());
        out.getBuffer().setLength(0);

        assertThat(run("globaldb", "export", "--globaldb", redis.uri())).isZero();
        World example = WorldFile.read(EXAMPLE);
        assertThat(WorldFile.parse("stdout", out.toString().getBytes())).isEqualTo(example);

        Path file = dir.resolve("exported.json");
        assertThat(run("globaldb", "export", file.toString(), "--globaldb", redis.uri())).isZero();
        assertThat(WorldFile.read(file)).isEqualTo(example);
    }

    @Test
    void aRefusedWorldFileListsItsProblemsAndChangesNothing() throws Exception {
        assertThat(run("globaldb", "import", EXAMPLE.toString(), "--globaldb", redis.uri())).isZero();
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, """
                {"local": {"127.0.0.2": [
                  {"type": "gate", "name": "all", "host": "127.0.0.2", "port": 1},
                  {"type": "nope", "name": "x", "host": "127.0.0.2", "port": 2}
                ]}}
                """);

        assertThat(run("globaldb", "import", bad.toString(), "--globaldb", redis.uri())).isEqualTo(1);

        assertThat(err.toString()).contains(bad + ":2:20: $['local']['127.0.0.2'][0].name: the name 'all' is reserved")
                .contains(bad + ":3:4: $['local']['127.0.0.2'][1].type: type 'nope' is not one of")
                .contains("2 problem(s): " + bad + " refused, globaldb unchanged");
        try (RedisGlobalDb db = RedisGlobalDb.connect(redis.uri())) {
            assertThat(db.world()).isEqualTo(WorldFile.read(EXAMPLE));
        }
        assertThat(run("globaldb", "import", dir.resolve("missing.json").toString(), "--globaldb", redis.uri()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("no such file");
    }

    @Test
    void aUserAddedWithTheEnvironmentsPasswordLogsInWithItsRole() {
        CommandLine root = commandLine();
        GlobalDbCommand.UserAdd add = sub(root, "globaldb", "user", "add").getCommand();
        add.target.env = Map.of(GlobalDbCommand.PASSWORD_ENV, "correct-horse", ProcessRecordOptions.GLOBALDB_ENV,
                redis.uri());
        add.prompt = prompt -> {
            throw new AssertionError("no prompt when the environment has the password");
        };

        assertThat(root.execute("globaldb", "user", "add", "ann", "--role", "operator")).isZero();

        try (RedisGlobalDb db = RedisGlobalDb.connect(redis.uri())) {
            assertThat(db.authenticate("ann", "correct-horse".toCharArray())).contains(Role.OPERATOR);
        }
        assertThat(run("globaldb", "user", "list", "--globaldb", redis.uri())).isZero();
        assertThat(out.toString()).containsPattern("ann\\s+operator");
    }

    private int addWithPrompt(String name, String... answers) {
        CommandLine root = commandLine();
        GlobalDbCommand.UserAdd add = sub(root, "globaldb", "user", "add").getCommand();
        add.target.env = Map.of();
        Deque<String> left = new ArrayDeque<>(java.util.Arrays.asList(answers));
        add.prompt = prompt -> left.isEmpty() || left.peek() == null ? null : left.poll().toCharArray();
        return root.execute("globaldb", "user", "add", name, "--role", "viewer", "--globaldb", redis.uri());
    }

    @Test
    void thePromptedPasswordIsTypedTwiceAndLongEnough() {
        assertThat(addWithPrompt("bob", "bobs-password", "bobs-password")).isZero();
        assertThat(addWithPrompt("cid", "cids-password", "cids-passwort")).isEqualTo(1);
        assertThat(err.toString()).contains("the passwords differ");
        assertThat(addWithPrompt("dan", "short", "short")).isEqualTo(1);
        assertThat(err.toString()).contains("at least 8 characters");
        assertThat(addWithPrompt("eve")).isEqualTo(1);
        assertThat(err.toString()).contains("no terminal to read the password from: set SWITCHBOARD_ADMIN_PASSWORD");
        try (RedisGlobalDb db = RedisGlobalDb.connect(redis.uri())) {
            assertThat(db.users()).extracting(u -> u.name()).contains("bob").doesNotContain("cid", "dan", "eve");
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("globaldb", "user", "add", "ann", "--role", "root", "--globaldb", redis.uri())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown role 'root'");
        assertThat(run("globaldb", "user", "add", "ann")).isEqualTo(2);
        assertThat(run("globaldb", "user", "add", "a b", "--role", "admin")).isEqualTo(2);
        assertThat(run("globaldb", "export", "--globaldb", "http://127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("globaldb is redis://");
        assertThat(run("globaldb")).isEqualTo(2);
        assertThat(run("globaldb", "user", "add", "ann", "--role", "admin", "--password", "x")).isEqualTo(2);
    }

    @Test
    void aGlobalDbThatIsDownExitsOneWithWhereItWas() {
        int port = FreePort.next();
        assertThat(run("globaldb", "export", "--globaldb", "redis://127.0.0.1:" + port)).isEqualTo(1);
        assertThat(err.toString()).contains("globaldb redis://127.0.0.1:" + port + ": reading the world failed");
    }

    @Test
    void anExportThatCannotBeWrittenIsOneLineAndLeavesNoTempFile() throws Exception {
        assertThat(run("globaldb", "export", "/nonexistent/dir/w.json", "--globaldb", redis.uri())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot write /nonexistent/dir/w.json").doesNotContain("\tat ");
        // The temp file is made, then the move fails: FILE is a folder that is not empty.
        Path taken = Files.createDirectories(dir.resolve("w.json"));
        Files.writeString(taken.resolve("x"), "x");
        err.getBuffer().setLength(0);
        assertThat(run("globaldb", "export", taken.toString(), "--globaldb", redis.uri())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot write " + taken).doesNotContain("\tat ");
        try (var left = Files.list(dir)) {
            assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("w.json");
        }
    }
}
