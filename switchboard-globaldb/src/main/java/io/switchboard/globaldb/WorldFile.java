package io.switchboard.globaldb;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The world file, shaped as globaldb is: {@code {"<region>": {"<machine inner ip>": [<process spec>, ...]}}}.
 * {@link #read} refuses a file with anything wrong in it and lists every problem with its line, column and JSON
 * path: a refused file must change nothing, so nothing of it is half taken. {@link #write} is its inverse.
 */
public final class WorldFile {
    /** The largest world file taken: far above any real world, small enough to hold in memory without thought. */
    public static final int MAX_BYTES = 1 << 20;
    /**
     * The process types a daemon can start: the Switchboard roles {@code switchboard} runs, and {@code cmd}. The
     * name {@code all} is reserved: {@code start IP all} means every process of a machine.
     */
    public static final List<String> TYPES = List.of("gate", "service:demo", "service:chat", "registry", "resource",
            "demo", "router", ProcessSpec.CMD);
    public static final String RESERVED_NAME = "all";
    public static final int MAX_AGENT_COUNT = 1024;

    private static final Set<String> FIELDS = Set.of("type", "name", "host", "port", "agentcount", "cmd", "args",
            "env");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Unicode letters too: the seed's regions are named in Chinese. Never a dot: keys are region.ip.name. */
    private static final Pattern REGION = Pattern.compile("[\\p{L}\\p{N}_-]{1,64}");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:_-]{1,253}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /**
     * Switchboard's own variables (process key, globaldb URL, record interval, secrets) are the daemon's to set: a
     * spec's env is applied after them, so one could make a child write another key's record, and a secret in a
     * world file would sit in globaldb. Any case, as Windows ignores it.
     */
    static final String RESERVED_ENV_PREFIX = "SWITCHBOARD_";

    private WorldFile() {
    }

    /** Reads and validates a world file. */
    public static World read(Path file) throws WorldFileException, IOException {
        String source = file.toString();
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new WorldFileException(List.of(new WorldProblem(source, 1, 1, "", "the file is " + size
                    + " bytes, more than the " + MAX_BYTES + " a world file may have")));
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(source, in.readNBytes(MAX_BYTES + 1));
        }
    }

    /** Validates a world file's content; {@code source} names it in the problems. */
    public static World parse(String source, byte[] content) throws WorldFileException {
        if (content.length > MAX_BYTES) {
            throw new WorldFileException(List.of(new WorldProblem(source, 1, 1, "", "more than the " + MAX_BYTES
                    + " bytes a world file may have")));
        }
        return new Reader(source).read(content);
    }

    /**
     * Validates a world held in memory by the rules of a world file, the same ones: it is written as compact JSON
     * and read back as a file is. Compact, as a stored world is, so a world that was read from a file within
     * {@link #MAX_BYTES} never exceeds it here. Lines and columns are the compact JSON's; the path names the place.
     */
    public static void check(World world, String source) throws WorldFileException {
        byte[] json;
        try {
            json = GlobalDbJson.MAPPER.writeValueAsBytes(world.regions());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a world always serializes", e);
        }
        parse(source, json);
    }

    /**
     * What a store runs before it replaces its world: a world that an import would refuse is refused here too, so no
     * writer through {@link GlobalDb#replaceWorld} stores what {@code switchboard globaldb import} would not.
     *
     * @throws IllegalArgumentException naming the first problems and how many there are
     */
    public static void requireValid(World world) {
        try {
            check(world, "world");
        } catch (WorldFileException e) {
            throw new IllegalArgumentException("refusing to store an invalid world in globaldb, " + e.problems().size()
                    + " problem(s): " + e.summary(WorldFileException.SUMMARY_PROBLEMS));
        }
    }

    /** The world as a world file (pretty JSON), as {@link #read} takes it back. */
    public static String write(World world) {
        try {
            return GlobalDbJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(world.regions()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a world always serializes", e);
        }
    }

    /** One read: the problems found so far and what the cross-checks need. */
    private static final class Reader {
        private final String source;
        private final List<WorldProblem> problems = new ArrayList<>();
        private final Map<String, String> regionOfIp = new HashMap<>();
        private final Map<String, String> ownerOfHostPort = new HashMap<>();

        Reader(String source) {
            this.source = source;
        }

        World read(byte[] content) throws WorldFileException {
            Map<String, Map<String, List<ProcessSpec>>> regions = new LinkedHashMap<>();
            try (JsonParser parser = GlobalDbJson.MAPPER.getFactory().createParser(content)) {
                parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    problem(parser.currentTokenLocation(), "$", "a world file is one JSON object: region → machine "
                            + "inner IP → list of process specs");
                } else {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String region = parser.currentName();
                        readRegion(parser, region, regions);
                    }
                    if (parser.nextToken() != null) {
                        problem(parser.currentTokenLocation(), "$", "content after the world's closing '}'");
                    }
                }
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                problems.add(new WorldProblem(source, at == null ? 1 : at.getLineNr(), at == null ? 1
                        : at.getColumnNr(), "", "malformed JSON: " + e.getOriginalMessage()));
            } catch (IOException e) {
                problems.add(new WorldProblem(source, 1, 1, "", "unreadable: " + e.getMessage()));
            }
            if (!problems.isEmpty()) {
                throw new WorldFileException(problems);
            }
            return new World(regions);
        }

        private void readRegion(JsonParser parser, String region, Map<String, Map<String, List<ProcessSpec>>> regions)
                throws IOException {
            JsonLocation at = parser.currentTokenLocation();
            String path = "$['" + region + "']";
            if (!REGION.matcher(region).matches()) {
                problem(at, path, "region '" + region + "' is not 1-64 letters, digits, '_' or '-' (no '.': "
                        + "process keys are region.ip.name)");
            }
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                problem(parser.currentTokenLocation(), path, "a region is an object: machine inner IP → list of "
                        + "process specs");
                parser.skipChildren();
                return;
            }
            Map<String, List<ProcessSpec>> machines = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                readMachine(parser, region, path, machines);
            }
            regions.put(region, machines);
        }

        private void readMachine(JsonParser parser, String region, String regionPath,
                Map<String, List<ProcessSpec>> machines) throws IOException {
            String ip = parser.currentName();
            JsonLocation at = parser.currentTokenLocation();
            String path = regionPath + "['" + ip + "']";
            if (!IPV4.matcher(ip).matches()) {
                problem(at, path, "'" + ip + "' is not a machine inner IPv4 address such as 10.0.0.1");
            } else {
                String other = regionOfIp.putIfAbsent(ip, region);
                if (other != null) {
                    problem(at, path, "machine " + ip + " is in region '" + other + "' already: a machine belongs "
                            + "to one region");
                }
            }
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                problem(parser.currentTokenLocation(), path, "a machine is a list of process specs");
                parser.skipChildren();
                return;
            }
            List<ProcessSpec> specs = new ArrayList<>();
            Map<String, Integer> names = new HashMap<>();
            int index = 0;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                String specPath = path + "[" + index + "]";
                JsonLocation specAt = parser.currentTokenLocation();
                if (token != JsonToken.START_OBJECT) {
                    problem(specAt, specPath, "a process spec is an object {type,name,host,port,...}");
                    parser.skipChildren();
                } else {
                    ProcessSpec spec = readSpec(parser, specPath, specAt, region, ip);
                    if (spec != null) {
                        Integer first = names.putIfAbsent(spec.name(), index);
                        if (first != null) {
                            problem(specAt, specPath, "name '" + spec.name() + "' is taken on this machine by ["
                                    + first + "]");
                        }
                        specs.add(spec);
                    }
                }
                index++;
            }
            machines.put(ip, specs);
        }

        /** Reads one spec field by field, so each problem has the field's own place; null when it has any. */
        private ProcessSpec readSpec(JsonParser parser, String path, JsonLocation specAt, String region, String ip)
                throws IOException {
            ObjectNode node = GlobalDbJson.MAPPER.createObjectNode();
            Map<String, JsonLocation> places = new HashMap<>();
            int before = problems.size();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                places.put(field, parser.currentTokenLocation());
                parser.nextToken();
                JsonNode value = parser.readValueAsTree();
                if (!FIELDS.contains(field)) {
                    problem(places.get(field), path, "unknown field '" + field + "' (known: type, name, host, port, "
                            + "agentcount, cmd, args, env)");
                } else {
                    node.set(field, value);
                }
            }
            SpecCheck check = new SpecCheck(node, places, specAt, path);
            String type = check.text("type");
            if (type != null && !TYPES.contains(type)) {
                check.problem("type", "type '" + type + "' is not one of " + String.join(", ", TYPES));
            }
            String name = check.text("name");
            if (name != null && (!NAME.matcher(name).matches() || RESERVED_NAME.equals(name))) {
                check.problem("name", RESERVED_NAME.equals(name) ? "the name 'all' is reserved (start IP all)"
                        : "name '" + name + "' is not 1-64 of A-Z, a-z, 0-9, '_' or '-'");
            }
            String host = check.text("host");
            if (host != null && !HOST.matcher(host).matches()) {
                check.problem("host", "host '" + host + "' is not a host name or IP address");
            }
            Integer port = check.integer("port", 1, 65_535, true);
            check.integer("agentcount", 1, MAX_AGENT_COUNT, false);
            if (ProcessSpec.CMD.equals(type)) {
                String cmd = check.text("cmd");
                if (cmd != null && cmd.isBlank()) {
                    check.problem("cmd", "cmd is empty");
                }
            } else if (node.has("cmd") && type != null) {
                check.problem("cmd", "only a process of type cmd has a cmd; a " + type + " is run by switchboard");
            }
            check.stringList("args");
            check.environment("env");
            if (host != null && port != null) {
                String hostPort = host + ":" + port;
                String owner = region + "." + ip + "." + (name == null ? "?" : name);
                String other = ownerOfHostPort.putIfAbsent(hostPort, owner);
                if (other != null) {
                    check.problem("port", hostPort + " is taken by " + other + " already");
                }
            }
            if (problems.size() > before) {
                return null;
            }
            return GlobalDbJson.MAPPER.treeToValue(node, ProcessSpec.class);
        }

        private void problem(JsonLocation at, String path, String message) {
            problems.add(new WorldProblem(source, at.getLineNr(), at.getColumnNr(), path, message));
        }

        /** The checks of one spec's fields, each problem placed at its field (or the spec for a missing one). */
        private final class SpecCheck {
            private final ObjectNode node;
            private final Map<String, JsonLocation> places;
            private final JsonLocation specAt;
            private final String path;

            SpecCheck(ObjectNode node, Map<String, JsonLocation> places, JsonLocation specAt, String path) {
                this.node = node;
                this.places = places;
                this.specAt = specAt;
                this.path = path;
            }

            void problem(String field, String message) {
                Reader.this.problem(places.getOrDefault(field, specAt), path + "." + field, message);
            }

            /** A required text field, or null (with a problem). */
            String text(String field) {
                JsonNode value = node.get(field);
                if (value == null) {
                    problem(field, "missing " + field);
                    return null;
                }
                if (!value.isTextual()) {
                    problem(field, field + " is not a string");
                    return null;
                }
                return value.asText();
            }

            Integer integer(String field, int min, int max, boolean required) {
                JsonNode value = node.get(field);
                if (value == null) {
                    if (required) {
                        problem(field, "missing " + field);
                    }
                    return null;
                }
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    problem(field, field + " is not a whole number");
                    return null;
                }
                int n = value.intValue();
                if (n < min || n > max) {
                    problem(field, field + " " + n + " is out of range " + min + "-" + max);
                    return null;
                }
                return n;
            }

            void stringList(String field) {
                JsonNode value = node.get(field);
                if (value == null) {
                    return;
                }
                if (!value.isArray()) {
                    problem(field, field + " is not a list of strings");
                    return;
                }
                for (JsonNode item : value) {
                    if (!item.isTextual()) {
                        problem(field, field + " holds " + item.getNodeType().name().toLowerCase(Locale.ROOT) + " " + item
                                + ", not a string");
                        return;
                    }
                }
            }

            void environment(String field) {
                JsonNode value = node.get(field);
                if (value == null) {
                    return;
                }
                if (!value.isObject()) {
                    problem(field, field + " is not an object of names to strings");
                    return;
                }
                value.fields().forEachRemaining(entry -> {
                    if (!ENV_NAME.matcher(entry.getKey()).matches()) {
                        problem(field, "'" + entry.getKey() + "' is not an environment variable name");
                    } else if (entry.getKey().toUpperCase(Locale.ROOT).startsWith(RESERVED_ENV_PREFIX)) {
                        problem(field, "'" + entry.getKey() + "' is Switchboard's own variable ("
                                + RESERVED_ENV_PREFIX + "*), set by the daemon, not by a world file");
                    } else if (!entry.getValue().isTextual()) {
                        problem(field, "the value of " + entry.getKey() + " is not a string");
                    }
                });
            }
        }
    }
}
