package io.switchboard.cli;

import io.switchboard.globaldb.GlobalDbException;
import io.switchboard.globaldb.Role;
import io.switchboard.globaldb.World;
import io.switchboard.globaldb.WorldFile;
import io.switchboard.globaldb.WorldFileException;
import io.switchboard.globaldb.WorldProblem;
import io.switchboard.globaldb.redis.RedisGlobalDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code switchboard globaldb import|export|user}: the world and the operators in globaldb. */
@Command(name = "globaldb", mixinStandardHelpOptions = true,
        description = {"Read and write globaldb (Redis): the world (regions, machines, the processes each runs) and "
                + "the operators of the process plane.",
                "Exit codes: 0 done, 1 failed (globaldb unreachable, a refused world file...), 2 usage."},
        subcommands = {GlobalDbCommand.Import.class, GlobalDbCommand.Export.class, GlobalDbCommand.User.class})
final class GlobalDbCommand implements Runnable {
    static final String PASSWORD_ENV = "SWITCHBOARD_ADMIN_PASSWORD";
    static final int MIN_PASSWORD = 8;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "say what to do: import, export or user");
    }

    /** {@code --globaldb URL}, the environment, and the run of one command against globaldb. */
    static final class Target {
        @Option(names = "--globaldb", paramLabel = "URL", description = "globaldb, redis://[user:password@]host:port"
                + "[/db] or rediss://... (default from " + ProcessRecordOptions.GLOBALDB_ENV + ", else "
                + RedisGlobalDb.DEFAULT_URL + ").")
        String url;

        /** The environment read for defaults and the password; tests replace it. */
        Map<String, String> env = System.getenv();

        String url() {
            return url != null ? url : GlobalDbs.defaultUrl(env);
        }

        RedisGlobalDb open(CommandSpec spec) {
            try {
                return RedisGlobalDb.connect(url());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        /** Runs {@code action} on globaldb; a globaldb failure is exit code 1 with its message. */
        int run(CommandSpec spec, Action action) throws IOException {
            try (RedisGlobalDb db = open(spec)) {
                return action.run(db);
            } catch (GlobalDbException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return 1;
            }
        }

        interface Action {
            int run(RedisGlobalDb db) throws IOException;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Replace the world in globaldb with a "
            + "world file ({\"<region>\": {\"<machine inner ip>\": [<process spec>, ...]}}). A file with any problem "
            + "is refused whole, every problem listed, and globaldb is left as it was.")
    static final class Import implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The world file.")
        Path file;

        @Mixin
        Target target = new Target();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            World world;
            try {
                world = WorldFile.read(file);
            } catch (WorldFileException e) {
                e.problems().stream().map(WorldProblem::toString).forEach(spec.commandLine().getErr()::println);
                spec.commandLine().getErr().printf("%d problem(s): %s refused, globaldb unchanged%n",
                        e.problems().size(), file);
                return 1;
            } catch (NoSuchFileException e) {
                spec.commandLine().getErr().println("no such file: " + file);
                return 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println("cannot read " + file + ": " + e);
                return 1;
            }
            return target.run(spec, db -> {
                db.replaceWorld(world);
                long processes = world.machines().stream().mapToLong(m -> m.processes().size()).sum();
                spec.commandLine().getOut().printf("imported %s into %s: %d region(s), %d machine(s), %d "
                        + "process(es)%n", file, db.where(),
                        world.regions().size(), world.machines().size(), processes);
                return 0;
            });
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the world in globaldb as a world "
            + "file, to FILE or standard output.")
    static final class Export implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "0..1", description = "Where to write (default: standard output).")
        Path file;

        @Mixin
        Target target = new Target();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            return target.run(spec, db -> {
                String text = WorldFile.write(db.world());
                if (file == null) {
                    spec.commandLine().getOut().print(text);
                    spec.commandLine().getOut().flush();
                } else {
                    try {
                        write(text);
                    } catch (IOException e) {
                        // A folder that does not exist or cannot be written: one line, not a trace.
                        String why = e instanceof NoSuchFileException ? "its folder does not exist"
                                : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
                        spec.commandLine().getErr().println("cannot write " + file + ": " + why);
                        return 1;
                    }
                }
                return 0;
            });
        }

        /** Written beside and moved, so a reader of FILE never sees half of it; no temp file is left behind. */
        private void write(String text) throws IOException {
            Path dir = file.toAbsolutePath().getParent();
            Path temp = Files.createTempFile(dir, ".world", ".json");
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    @Command(name = "user", mixinStandardHelpOptions = true, description = "The operators of the process plane.",
            subcommands = {UserAdd.class, UserList.class})
    static final class User implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "say what to do: add or list");
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Add an operator, or replace one's "
            + "password and role. The password is read twice from the terminal, or from " + PASSWORD_ENV
            + " when that is set; never from the command line. At least " + MIN_PASSWORD + " characters.",
            "Roles: viewer (list, watch), operator (+ start, stop, kill), admin (+ users)."})
    static final class UserAdd implements Callable<Integer> {
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

        @Parameters(paramLabel = "NAME", description = "The operator's name.")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, operator or admin.")
        String role;

        @Mixin
        Target target = new Target();

        /** Reads a password from the terminal; null when there is none. Tests replace it. */
        PasswordPrompt prompt = prompt -> {
            Console console = System.console();
            return console == null ? null : console.readPassword("%s", prompt);
        };

        @Spec
        CommandSpec spec;

        interface PasswordPrompt {
            char[] read(String prompt);
        }

        @Override
        public Integer call() throws IOException {
            if (!NAME.matcher(name).matches()) {
                throw new ParameterException(spec.commandLine(), "a user name is 1-64 of A-Z, a-z, 0-9, '_', '.', "
                        + "'@' or '-': " + name);
            }
            Role parsed;
            try {
                parsed = Role.parse(role);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            char[] password = password();
            if (password == null) {
                return 1;
            }
            try {
                return target.run(spec, db -> {
                    db.putUser(name, password, parsed);
                    spec.commandLine().getOut().printf("user %s is %s%n", name, parsed.wireName());
                    return 0;
                });
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        /** The password, or null after saying why there is none. */
        private char[] password() {
            String fromEnv = target.env.get(PASSWORD_ENV);
            char[] password;
            if (fromEnv != null) {
                password = fromEnv.toCharArray();
            } else {
                password = prompt.read("password for " + name + ": ");
                if (password == null) {
                    return refuse(null, "no terminal to read the password from: set " + PASSWORD_ENV);
                }
                char[] again = prompt.read("the same again: ");
                boolean same = again != null && Arrays.equals(password, again);
                if (again != null) {
                    Arrays.fill(again, '\0');
                }
                if (!same) {
                    return refuse(password, "the passwords differ; nothing changed");
                }
            }
            if (password.length < MIN_PASSWORD) {
                return refuse(password, "a password has at least " + MIN_PASSWORD + " characters; nothing changed");
            }
            return password;
        }

        private char[] refuse(char[] password, String why) {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
            spec.commandLine().getErr().println(why);
            return null;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the operators and their roles.")
    static final class UserList implements Callable<Integer> {
        @Mixin
        Target target = new Target();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            return target.run(spec, db -> {
                var out = spec.commandLine().getOut();
                out.printf("%-24s %s%n", "NAME", "ROLE");
                db.users().forEach(user -> out.printf("%-24s %s%n", user.name(), user.role().wireName()));
                out.flush();
                return 0;
            });
        }
    }
}
