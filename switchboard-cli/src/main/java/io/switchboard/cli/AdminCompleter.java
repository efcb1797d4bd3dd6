package io.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Completes admin commands: the verbs, then IPs of the world, then {@code all} and the names on that IP. */
final class AdminCompleter implements Completer {
    private static final List<String> VERBS = List.of("list", "start", "stop", "kill", "watch", "help", "quit");
    private static final List<String> LISTS = List.of("world", "machine", "ip", "pid");

    /** IP → process names, from the last world view. */
    private volatile Map<String, List<String>> machines = Map.of();

    /** Takes the IPs and names of a {@code list world} view. */
    void learn(JsonNode world) {
        Map<String, List<String>> learned = new LinkedHashMap<>();
        world.path("regions").forEach(region -> region.path("machines").forEach(machine -> {
            List<String> names = new ArrayList<>();
            machine.path("processes").forEach(p -> names.add(p.path("name").asText()));
            learned.put(machine.path("ip").asText(), List.copyOf(names));
        }));
        machines = learned;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        candidates(line.words().subList(0, line.wordIndex())).forEach(c -> candidates.add(new Candidate(c)));
    }

    /** What may come after {@code words}. */
    List<String> candidates(List<String> words) {
        Map<String, List<String>> known = machines;
        if (words.isEmpty()) {
            return VERBS;
        }
        String verb = words.get(0);
        if (words.size() == 1) {
            return switch (verb) {
                case "list" -> LISTS;
                case "start", "stop", "kill" -> List.copyOf(known.keySet());
                default -> List.of();
            };
        }
        if (words.size() == 2 && verb.equals("list") && words.get(1).equals("ip")) {
            return List.copyOf(known.keySet());
        }
        if (words.size() == 2 && (verb.equals("start") || verb.equals("stop"))) {
            List<String> names = new ArrayList<>(List.of("all"));
            names.addAll(known.getOrDefault(words.get(1), List.of()));
            return names;
        }
        return List.of();
    }
}
