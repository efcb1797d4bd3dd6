package io.switchboard.daemon.command;

import io.switchboard.globaldb.Permission;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One admin command (DESIGN §9): {@code list world}, {@code list machine}, {@code list ip IP}, {@code list pid PID},
 * {@code start IP all|NAME}, {@code stop IP all|NAME}, {@code kill IP PID}, {@code watch}. {@link #parse} accepts
 * exactly these and nothing else; {@link #toString} gives the canonical text back.
 */
public record AdminCommand(Verb verb, String ip, String name, long pid) {
    /** The name that means every process of the machine; no process may be called so. */
    public static final String ALL = "all";
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_LINE = 256;

    /** What a command does, and the permission it needs. */
    public enum Verb {
        LIST_WORLD(Permission.LIST), LIST_MACHINE(Permission.LIST), LIST_IP(Permission.LIST),
        LIST_PID(Permission.LIST), START(Permission.START), STOP(Permission.STOP), KILL(Permission.KILL),
        WATCH(Permission.WATCH);

        private final Permission permission;

        Verb(Permission permission) {
            this.permission = permission;
        }

        public Permission permission() {
            return permission;
        }

        /** Whether the command acts on one machine's processes, so runs on that machine's daemon. */
        public boolean targetsMachine() {
            return this == START || this == STOP || this == KILL;
        }
    }

    public AdminCommand {
        Objects.requireNonNull(verb, "verb");
    }

    public Permission permission() {
        return verb.permission();
    }

    /** Whether a start or stop means every process of the machine. */
    public boolean all() {
        return ALL.equals(name);
    }

    /** Parses one command line; words are separated by blanks. */
    public static AdminCommand parse(String line) throws CommandSyntaxException {
        if (line == null || line.length() > MAX_LINE) {
            throw new CommandSyntaxException("a command is at most " + MAX_LINE + " characters");
        }
        List<String> words = Arrays.stream(line.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) {
            throw new CommandSyntaxException("empty command");
        }
        String head = words.get(0);
        return switch (head) {
            case "list" -> parseList(words);
            case "start", "stop" -> {
                expect(words, 3, head + " IP all|NAME");
                yield new AdminCommand(head.equals("start") ? Verb.START : Verb.STOP, ip(words.get(1)),
                        name(words.get(2)), 0);
            }
            case "kill" -> {
                expect(words, 3, "kill IP PID");
                yield new AdminCommand(Verb.KILL, ip(words.get(1)), null, pid(words.get(2)));
            }
            case "watch" -> {
                expect(words, 1, "watch");
                yield new AdminCommand(Verb.WATCH, null, null, 0);
            }
            default -> throw new CommandSyntaxException("unknown command '" + head
                    + "' (list, start, stop, kill, watch)");
        };
    }

    private static AdminCommand parseList(List<String> words) throws CommandSyntaxException {
        if (words.size() < 2) {
            throw new CommandSyntaxException("usage: list world|machine|ip IP|pid PID");
        }
        return switch (words.get(1)) {
            case "world" -> {
                expect(words, 2, "list world");
                yield new AdminCommand(Verb.LIST_WORLD, null, null, 0);
            }
            case "machine" -> {
                expect(words, 2, "list machine");
                yield new AdminCommand(Verb.LIST_MACHINE, null, null, 0);
            }
            case "ip" -> {
                expect(words, 3, "list ip IP");
                yield new AdminCommand(Verb.LIST_IP, ip(words.get(2)), null, 0);
            }
            case "pid" -> {
                expect(words, 3, "list pid PID");
                yield new AdminCommand(Verb.LIST_PID, null, null, pid(words.get(2)));
            }
            default -> throw new CommandSyntaxException("usage: list world|machine|ip IP|pid PID");
        };
    }

    private static void expect(List<String> words, int count, String usage) throws CommandSyntaxException {
        if (words.size() != count) {
            throw new CommandSyntaxException("usage: " + usage);
        }
    }

    private static String ip(String word) throws CommandSyntaxException {
        if (!IPV4.matcher(word).matches()) {
            throw new CommandSyntaxException("not an IPv4 address: '" + word + "'");
        }
        return word;
    }

    private static String name(String word) throws CommandSyntaxException {
        if (!NAME.matcher(word).matches()) {
            throw new CommandSyntaxException("not a process name (letters, digits, '_', '-'): '" + word + "'");
        }
        return word;
    }

    private static long pid(String word) throws CommandSyntaxException {
        try {
            long pid = Long.parseLong(word);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new CommandSyntaxException("not a pid: '" + word + "'");
    }

    @Override
    public String toString() {
        return switch (verb) {
            case LIST_WORLD -> "list world";
            case LIST_MACHINE -> "list machine";
            case LIST_IP -> "list ip " + ip;
            case LIST_PID -> "list pid " + pid;
            case START -> "start " + ip + ' ' + name;
            case STOP -> "stop " + ip + ' ' + name;
            case KILL -> "kill " + ip + ' ' + pid;
            case WATCH -> "watch";
        };
    }
}
