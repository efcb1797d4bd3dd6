package io.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** The admin API's views as text tables for people: world, machines, one machine, one pid. */
final class AdminTables {
    private static final List<String> PROCESS_COLUMNS = List.of("NAME", "TYPE", "HOST:PORT", "PID", "STATE",
            "LIVENESS", "UPTIME", "STARTS", "LASTUPDATE", "SESSIONS", "HEAP");

    private AdminTables() {
    }

    /** The text of a command's data: a table when it is a view, else its message or the data as JSON. */
    static String render(JsonNode result) {
        JsonNode data = result.path("data");
        if (data.has("regions")) {
            return world(data);
        }
        if (data.has("machines")) {
            return machines(data);
        }
        if (data.has("processes") && data.has("ip")) {
            return (data.path("reachable").asBoolean() ? "" : data.get("ip").asText() + " is unreachable\n")
                    + processes(data.get("processes"), false);
        }
        if (data.has("processes")) {
            return processes(data.get("processes"), true);
        }
        String message = result.path("message").asText();
        String text = message.isEmpty() ? "" : message + "\n";
        if (isStatus(data) || (data.isArray() && !data.isEmpty() && isStatus(data.get(0)))) {
            return text + statuses(data.isArray() ? data : List.of(data));
        }
        if (!text.isEmpty()) {
            return text;
        }
        return data.isMissingNode() || data.isNull() ? "ok\n" : data + "\n";
    }

    /** Whether {@code data} is one process as a start, stop or kill leaves it. */
    private static boolean isStatus(JsonNode data) {
        return data.isObject() && data.has("name") && data.has("state") && data.has("restarts");
    }

    /** What start, stop and kill leave: a row per process. */
    static String statuses(Iterable<JsonNode> processes) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "TYPE", "STATE", "PID", "RESTARTS", "DETAIL"));
        for (JsonNode p : processes) {
            rows.add(List.of(p.path("name").asText(), p.path("type").asText(), p.path("state").asText(),
                    p.path("pid").asLong() > 0 ? p.path("pid").asText() : "-", p.path("restarts").asText(),
                    p.path("detail").asText()));
        }
        return table(rows);
    }

    static String world(JsonNode data) {
        StringBuilder out = new StringBuilder();
        for (JsonNode region : data.get("regions")) {
            for (JsonNode machine : region.get("machines")) {
                out.append(region.get("name").asText()).append(' ').append(machine.get("ip").asText())
                        .append(machine.get("local").asBoolean() ? " (this daemon)" : "")
                        .append(machine.get("reachable").asBoolean() ? "" : " UNREACHABLE").append('\n');
                out.append(processes(machine.get("processes"), false)).append('\n');
            }
        }
        return out.toString();
    }

    static String machines(JsonNode data) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("REGION", "IP", "REACHABLE", "PROCESSES", "ALIVE", "HUNG", "STOPPED"));
        for (JsonNode m : data.get("machines")) {
            rows.add(List.of(m.get("region").asText(), m.get("ip").asText() + (m.get("local").asBoolean() ? "*" : ""),
                    m.get("reachable").asBoolean() ? "yes" : "no", m.get("processCount").asText(),
                    m.get("alive").asText(), m.get("hung").asText(), m.get("stopped").asText()));
        }
        return table(rows);
    }

    static String processes(JsonNode processes, boolean withMachine) {
        List<List<String>> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(PROCESS_COLUMNS);
        if (withMachine) {
            head.addAll(0, List.of("REGION", "IP"));
        }
        rows.add(head);
        for (JsonNode p : processes) {
            List<String> row = new ArrayList<>(List.of(p.get("name").asText(), p.get("type").asText(),
                    p.get("host").asText() + ":" + p.get("port").asText(),
                    p.get("pid").asLong() == 0 ? "-" : p.get("pid").asText(), p.get("state").asText(),
                    p.get("liveness").asText(), duration(p.get("uptimeMs")), p.get("startcount").asText(),
                    duration(p.get("lastupdateAgeMs")), number(p.get("sessions")),
                    mib(p.get("heapUsed")) + "/" + mib(p.get("heapMax"))));
            if (withMachine) {
                row.addAll(0, List.of(p.get("region").asText(), p.get("ip").asText()));
            }
            rows.add(row);
        }
        return table(rows);
    }

    /** Columns padded to their widest cell, two spaces apart. */
    static String table(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        StringBuilder out = new StringBuilder();
        rows.forEach(row -> {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", row.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        });
        return out.toString();
    }

    private static String duration(JsonNode millis) {
        if (millis == null || !millis.isNumber()) {
            return "-";
        }
        long s = millis.asLong() / 1000;
        return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" + s % 60 + "s" : s / 3600 + "h" + s % 3600 / 60 + "m";
    }

    private static String number(JsonNode value) {
        return value == null || !value.isNumber() ? "-" : value.asText();
    }

    private static String mib(JsonNode bytes) {
        return bytes == null || !bytes.isNumber() ? "-" : bytes.asLong() / (1024 * 1024) + "M";
    }
}
