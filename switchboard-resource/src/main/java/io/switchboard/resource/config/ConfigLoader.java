package io.switchboard.resource.config;

import io.netty.util.NetUtil;
import io.switchboard.common.error.ErrorModule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a conf directory of seed 000: {@code module.conf} lists the modules, and each names its depend, idc and kv
 * files. Every problem is reported with file, line and column (see {@link ConfigProblem}); the config is returned only
 * when there is no error. Checks: unknown keys (warnings), required keys, a dependency on a module that is not listed,
 * endpoint ids unique within a module, ports in 1..65535 and addresses that are IP literals (probes never wait on
 * DNS), the port plan and error-code plan of the module (warnings naming the expected value).
 */
public final class ConfigLoader {
    /** The file that lists the modules. */
    public static final String MODULE_FILE = "module.conf";

    private static final int MAX_PORT = 65_535;
    /** A probe more often than every second only adds load; less often than hourly is not probing. */
    private static final int MAX_GAP_SECONDS = 3_600;
    private static final int MAX_COUNT = 1_000;

    private static final List<String> MODULE_FILE_KEYS = List.of("module_list");
    private static final List<String> MODULE_ENTRY_KEYS = List.of("module", "depend_file", "idc_file", "kv_file");
    private static final List<String> DEPEND_KEYS = List.of("module", "depend_list");
    private static final List<String> DEPEND_ENTRY_KEYS = List.of("module");
    private static final List<String> IDC_FILE_KEYS = List.of("module", "idc_list");
    private static final List<String> IDC_KEYS = List.of("idc", "set_list");
    private static final List<String> SET_KEYS = List.of("set", "heartbeat", "heartbeat_list", "service_list");
    private static final List<String> HEARTBEAT_KEYS = List.of("heartbeat_ip", "heartbeat_gap", "lose_time",
            "recover_time");
    private static final List<String> ENDPOINT_KEYS = List.of("id", "inner_ip", "out_ip", "port");
    private static final List<String> KV_FILE_KEYS = List.of("module", "kv_list");
    private static final List<String> KV_KEYS = List.of("key", "val");

    private final Path dir;
    private final Problems problems = new Problems();

    private ConfigLoader(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** Reads and checks the conf directory {@code dir}. */
    public static LoadResult load(Path dir) {
        return new ConfigLoader(dir).load();
    }

    private LoadResult load() {
        ConfFile moduleFile = ConfFile.read(dir.resolve(MODULE_FILE), MODULE_FILE, problems,
                () -> problems.error(MODULE_FILE, 0, 0, "no such file in " + dir));
        if (moduleFile == null) {
            return result(null);
        }
        ConfObject root = ConfObject.root(moduleFile, problems, MODULE_FILE, MODULE_FILE_KEYS);
        if (root == null) {
            return result(null);
        }
        // First the names, so a dependency can be checked against every listed module whatever the order.
        Map<String, ConfObject> entries = new LinkedHashMap<>();
        for (ConfObject entry : root.objects("module_list", true, "a module_list entry", MODULE_ENTRY_KEYS)) {
            String name = entry.text("module");
            if (name != null && entries.putIfAbsent(name, entry) != null) {
                entry.error("module", "module \"" + name + "\" is listed twice");
            }
        }
        List<ModuleConfig> modules = new ArrayList<>();
        for (Map.Entry<String, ConfObject> entry : entries.entrySet()) {
            String name = entry.getKey();
            ConfObject files = entry.getValue();
            List<String> dependencies = readDependencies(name, files, entries.keySet());
            List<Endpoint> endpoints = readEndpoints(name, files);
            Map<String, String> kv = readKv(name, files);
            modules.add(new ModuleConfig(name, dependencies, endpoints, kv));
        }
        return result(new ResourceConfig(modules));
    }

    private LoadResult result(ResourceConfig config) {
        return new LoadResult(problems.hasErrors() ? null : config, problems.all());
    }

    /** The root object of the file {@code key} of a module_list entry names; {@code null} after an error. */
    private ConfObject open(String module, ConfObject entry, String key, String what, List<String> keys) {
        String name = entry.text(key);
        if (name == null) {
            return null;
        }
        Path path = dir.resolve(name).normalize();
        if (!path.startsWith(dir)) {
            entry.error(key, key + " \"" + name + "\" is outside the conf directory");
            return null;
        }
        ConfFile file = ConfFile.read(path, dir.relativize(path).toString(), problems,
                () -> entry.error(key, key + " of module " + module + ": no such file: " + name));
        if (file == null) {
            return null;
        }
        ConfObject root = ConfObject.root(file, problems, what, keys);
        if (root != null) {
            String named = root.text("module");
            if (named != null && !named.equals(module)) {
                root.error("module", name + " is for module \"" + named + "\" but module.conf names it for \""
                        + module + "\"");
            }
        }
        return root;
    }

    private List<String> readDependencies(String module, ConfObject entry, Set<String> listed) {
        List<String> dependencies = new ArrayList<>();
        ConfObject root = open(module, entry, "depend_file", "a depend file", DEPEND_KEYS);
        if (root == null) {
            return dependencies;
        }
        for (ConfObject dependency : root.objects("depend_list", true, "a depend_list entry", DEPEND_ENTRY_KEYS)) {
            String name = dependency.text("module");
            if (name == null) {
                continue;
            }
            if (!listed.contains(name)) {
                dependency.error("module", module + " depends on \"" + name + "\", which module.conf does not list");
            } else if (name.equals(module)) {
                dependency.error("module", module + " depends on itself");
            } else if (dependencies.contains(name)) {
                dependency.warning("module", module + " lists its dependency \"" + name + "\" twice");
            } else {
                dependencies.add(name);
            }
        }
        return dependencies;
    }

    private List<Endpoint> readEndpoints(String module, ConfObject entry) {
        List<Endpoint> endpoints = new ArrayList<>();
        ConfObject root = open(module, entry, "idc_file", "an idc file", IDC_FILE_KEYS);
        if (root == null) {
            return endpoints;
        }
        Set<String> ids = new HashSet<>();
        Set<String> idcs = new HashSet<>();
        for (ConfObject idc : root.objects("idc_list", true, "an idc_list entry", IDC_KEYS)) {
            String idcName = idc.text("idc");
            if (idcName != null && !idcs.add(idcName)) {
                idc.error("idc", "idc \"" + idcName + "\" is listed twice");
            }
            Set<String> sets = new HashSet<>();
            for (ConfObject set : idc.objects("set_list", true, "a set_list entry", SET_KEYS)) {
                String setName = set.text("set");
                if (setName != null && !sets.add(setName)) {
                    set.error("set", "set \"" + setName + "\" is listed twice in idc " + idcName);
                }
                Heartbeat heartbeat = readHeartbeat(set);
                List<ConfObject> probed = set.objects("heartbeat_list", false, "a heartbeat_list entry",
                        ENDPOINT_KEYS);
                List<ConfObject> served = set.objects("service_list", false, "a service_list entry", ENDPOINT_KEYS);
                if (probed.isEmpty() && served.isEmpty()) {
                    set.warning("set", "set " + setName + " has no endpoints");
                }
                for (ConfObject endpoint : probed) {
                    addEndpoint(module, idcName, setName, heartbeat, endpoint, ids, endpoints);
                }
                for (ConfObject endpoint : served) {
                    addEndpoint(module, idcName, setName, null, endpoint, ids, endpoints);
                }
            }
        }
        return endpoints;
    }

    private Heartbeat readHeartbeat(ConfObject set) {
        if (!set.has("heartbeat") && !set.has("heartbeat_list")) {
            return null;
        }
        ConfObject heartbeat = set.object("heartbeat", "a heartbeat block", HEARTBEAT_KEYS);
        if (heartbeat == null) {
            return null;
        }
        String ip = heartbeat.text("heartbeat_ip");
        ProbeAddress address = ip == null ? null : ProbeAddress.ofConfName(ip);
        if (ip != null && address == null) {
            heartbeat.error("heartbeat_ip", "heartbeat_ip must be \"inner_ip\" or \"out_ip\", was \"" + ip + "\"");
        }
        int gap = heartbeat.integer("heartbeat_gap", 1, MAX_GAP_SECONDS);
        int lose = heartbeat.integer("lose_time", 1, MAX_COUNT);
        int recover = heartbeat.integer("recover_time", 1, MAX_COUNT);
        return address == null || gap < 0 || lose < 0 || recover < 0 ? null
                : new Heartbeat(address, gap, lose, recover);
    }

    private void addEndpoint(String module, String idc, String set, Heartbeat heartbeat, ConfObject endpoint,
                             Set<String> ids, List<Endpoint> endpoints) {
        String id = endpoint.text("id");
        if (id != null && !ids.add(id)) {
            endpoint.error("id", "endpoint id \"" + id + "\" is used twice in module " + module);
        }
        String inner = ipAddress(endpoint, "inner_ip");
        String out = ipAddress(endpoint, "out_ip");
        int port = endpoint.integer("port", 1, MAX_PORT);
        if (port > 0) {
            Integer expected = ModulePlan.expectedPort(module, port, endpoints.size() + 1);
            if (expected != null) {
                endpoint.warning("port", "port " + port + " breaks the port plan for " + module + ": expected "
                        + expected + " ([project][service][program])");
            }
        }
        if (id != null && idc != null && set != null && inner != null && out != null && port > 0) {
            endpoints.add(new Endpoint(module, id, idc, set, inner, out, port, heartbeat));
        }
    }

    private static String ipAddress(ConfObject endpoint, String key) {
        String ip = endpoint.text(key);
        if (ip != null && !NetUtil.isValidIpV4Address(ip) && !NetUtil.isValidIpV6Address(ip)) {
            endpoint.error(key, key + " must be an IP address, was \"" + ip + "\"");
            return null;
        }
        return ip;
    }

    private Map<String, String> readKv(String module, ConfObject entry) {
        Map<String, String> kv = new LinkedHashMap<>();
        ConfObject root = open(module, entry, "kv_file", "a kv file", KV_FILE_KEYS);
        if (root == null) {
            return kv;
        }
        Map<String, ConfObject> seen = new HashMap<>();
        for (ConfObject pair : root.objects("kv_list", true, "a kv_list entry", KV_KEYS)) {
            String key = pair.text("key");
            String val = pair.scalar("val");
            if (key == null || val == null) {
                continue;
            }
            if (seen.putIfAbsent(key, pair) != null) {
                pair.error("key", "key \"" + key + "\" is set twice in module " + module);
                continue;
            }
            checkErrorCode(module, key, val, pair);
            kv.put(key, val);
        }
        return kv;
    }

    /**
     * The error-code plan: a key naming an error code ({@link ModulePlan#namesErrorCode}) of a module
     * with a plan must hold an integer inside the module's range. Outside it, or not a number, is a warning naming the
     * range, as the port plan warns: the value is the module's own to interpret, so the config stays usable.
     */
    private static void checkErrorCode(String module, String key, String val, ConfObject pair) {
        ErrorModule plan = ModulePlan.errorModule(module);
        if (plan == null || !ModulePlan.namesErrorCode(key)) {
            return;
        }
        long first = plan.first() + 1;
        long last = plan.first() + ErrorModule.SPAN - 1;
        String range = module + "'s error codes are " + first + ".." + last + " (1,0MM,nnn,nnn, module "
                + plan.number() + ")";
        long code;
        try {
            code = Long.parseLong(val.trim());
        } catch (NumberFormatException e) {
            pair.warning("val", key + " names an error code but \"" + val + "\" is not a number: " + range);
            return;
        }
        if (code < first || code > last) {
            pair.warning("val", key + " = " + code + " is outside the error-code range: " + range);
        }
    }
}
