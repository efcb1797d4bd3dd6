package io.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The admin CLI's side of a daemon's admin API, over the JDK's HTTP client: a login whose token then goes as a bearer
 * token with every call, commands, and the watch stream. A refused login is a {@link LoginRefused}.
 */
final class AdminApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL = Duration.ofSeconds(60);

    /** The daemon refused the login (wrong user or password, throttled): exit code 3. */
    static final class LoginRefused extends Exception {
        LoginRefused(String message) {
            super(message, null, false, false);
        }
    }

    private final AdminEndpoint endpoint;
    private final URI base;
    private final HttpClient http;
    private String token;

    /** {@code daemon} is {@code HOST:PORT} (plain HTTP); see {@link AdminEndpoint#of} for URLs. */
    AdminApiClient(String daemon) {
        this(AdminEndpoint.of(daemon, null));
    }

    AdminApiClient(AdminEndpoint endpoint) {
        this.endpoint = endpoint;
        this.base = endpoint.base();
        this.http = endpoint.newClient();
    }

    String daemon() {
        return endpoint.daemon();
    }

    /** Logs in; the password array is cleared afterwards. */
    void login(String user, char[] password) throws IOException, InterruptedException, LoginRefused {
        String body;
        try {
            body = JSON.createObjectNode().put("user", user).put("password", new String(password)).toString();
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/api/login")).timeout(CALL)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = parse(response.body());
        if (response.statusCode() != 200) {
            throw new LoginRefused("login refused by " + daemon() + ": "
                    + answer.path("error").asText("HTTP " + response.statusCode()));
        }
        token = answer.get("token").asText();
    }

    /** Runs one command line: the API's result ({@code outcome}, {@code exitCode}, {@code message}, {@code data}). */
    JsonNode command(String line) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(authorized("/api/command").timeout(CALL)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("line", line).toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = parse(response.body());
        if (!answer.has("outcome")) {
            // A refusal before the command ran (login ended, busy): a failed command with the daemon's reason.
            return JSON.createObjectNode().put("outcome", "FAILED").put("exitCode", 1)
                    .put("message", answer.path("error").asText("HTTP " + response.statusCode()))
                    .put("error", answer.path("error").asText("HTTP " + response.statusCode()));
        }
        return answer;
    }

    /** Hands each view of the watch stream to {@code view} until the stream ends or {@code stop} says so. */
    void watch(Consumer<JsonNode> view, BooleanSupplier stop) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = http.send(authorized("/api/watch").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                String body = String.join("\n", lines.toList());
                throw new IOException("watch refused: " + parse(body).path("error").asText("HTTP "
                        + response.statusCode()));
            }
            Iterator<String> it = lines.iterator();
            while (!stop.getAsBoolean() && it.hasNext()) {
                String line = it.next();
                if (line.startsWith("data: ")) {
                    view.accept(parse(line.substring("data: ".length())));
                }
            }
        }
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode().put("error", "not a JSON answer");
        }
    }
}
