package io.switchboard.resource.config;

import io.switchboard.common.error.ErrorModule;
import io.switchboard.common.port.PortPlan;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The plan numbers of the modules seed 000 names (DESIGN §6): gate is service 01 of the port plan and owns error codes
 * 1,001,xxx,xxx; group (rooms) is service 02 and owns 1,002,xxx,xxx. A module named as an {@link ErrorModule}
 * ({@code room}, {@code chat}, {@code demo}, ...) owns that module's codes too. Other modules have no plan to check
 * against.
 */
final class ModulePlan {
    private static final Map<String, Integer> PORT_SERVICES = Map.of("gate", PortPlan.GATE, "group", PortPlan.GROUP);
    private static final Map<String, ErrorModule> ERROR_MODULES = errorModules();
    /** The key of an error code: exactly this, or ending in {@code _} and this ({@code full_error_code}). */
    static final String ERROR_CODE_KEY = "error_code";
    private static final int SERVICE_DIGITS = 100;
    private static final int PROJECT_DIGITS = 10_000;
    private static final int MAX_PROJECT = 6;

    private ModulePlan() {
    }

    /**
     * {@code null} when {@code port} fits the plan for {@code module} (or the module has none); otherwise the port the
     * plan expects there: the same project and program, the module's service. {@code ordinal} (from 1) stands in for
     * a program of 00.
     */
    static Integer expectedPort(String module, int port, int ordinal) {
        Integer service = PORT_SERVICES.get(module);
        if (service == null) {
            return null;
        }
        int project = port / PROJECT_DIGITS;
        int program = port % SERVICE_DIGITS;
        boolean fits = project >= 1 && project <= MAX_PROJECT && (port / SERVICE_DIGITS) % SERVICE_DIGITS == service
                && program >= 1;
        if (fits) {
            return null;
        }
        int expectedProject = project >= 1 && project <= MAX_PROJECT ? project : PortPlan.DEFAULT_PROJECT;
        int expectedProgram = program >= 1 ? program : Math.min(ordinal, SERVICE_DIGITS - 1);
        try {
            return PortPlan.port(expectedProject, service, expectedProgram);
        } catch (IllegalArgumentException overflow) {
            return PortPlan.port(PortPlan.DEFAULT_PROJECT, service, expectedProgram);
        }
    }

    /** The error-code module of {@code module}, or {@code null} when it has none in the plan. */
    static ErrorModule errorModule(String module) {
        return ERROR_MODULES.get(module);
    }

    /**
     * Whether a kv key names an error code, whose value the plan then checks: {@code error_code} or a key ending in
     * {@code _error_code}, in any case. A key merely containing it ({@code error_code_hint}) names something else.
     */
    static boolean namesErrorCode(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.equals(ERROR_CODE_KEY) || lower.endsWith("_" + ERROR_CODE_KEY);
    }

    private static Map<String, ErrorModule> errorModules() {
        Map<String, ErrorModule> modules = new HashMap<>();
        for (ErrorModule module : ErrorModule.values()) {
            modules.put(module.name().toLowerCase(Locale.ROOT), module);
        }
        // Seed 000 calls the rooms module "group".
        modules.put("group", ErrorModule.ROOM);
        return Map.copyOf(modules);
    }
}
