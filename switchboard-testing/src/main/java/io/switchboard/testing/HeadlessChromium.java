package io.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * The machine's headless Chromium, driven from Java over the DevTools protocol (a WebSocket, the JDK's client): one
 * page, and {@link #evaluate} of an expression in it, so a test asserts on what the page shows with Awaitility. Without
 * Chromium the test is skipped loudly (failed with CI=true), by {@link ExternalPrograms}. Shared by the tests of
 * every page the project serves.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration ANSWER = Duration.ofSeconds(30);

    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket page;

    private HeadlessChromium(Process process) {
        this.process = process;
    }

    /** Starts Chromium with a fresh profile in {@code profile} and opens {@code url} in a page. */
    public static HeadlessChromium open(String url, Path profile) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            ExternalPrograms.missing("Chromium at " + CHROMIUM + " (Debian package chromium)");
        }
        Path temp = Files.createDirectories(profile.resolve("tmp"));
        ProcessBuilder builder = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile());
        // Its singleton socket and other temporary files stay inside the test's directory, removed with it.
        builder.environment().put("TMPDIR", temp.toString());
        Process process = builder.start();
        HeadlessChromium chromium = new HeadlessChromium(process);
        try {
            chromium.connect(url, profile);
            return chromium;
        } catch (Exception | AssertionError e) {
            chromium.close();
            throw e;
        }
    }

    private void connect(String url, Path profile) throws Exception {
        // Chromium writes the port it picked to DevToolsActivePort in the profile once it listens.
        Path activePort = profile.resolve("DevToolsActivePort");
        await().atMost(START).until(() -> !process.isAlive() || Files.isRegularFile(activePort)
                && Files.readAllLines(activePort).size() >= 2);
        if (!process.isAlive()) {
            throw new IllegalStateException("Chromium exited: " + Files.readString(profile.resolve("chromium.log")));
        }
        int port = Integer.parseInt(Files.readAllLines(activePort).get(0).trim());
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/json/new?" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 200) {
            throw new IllegalStateException("DevTools /json/new: " + created.statusCode() + " " + created.body());
        }
        String socket = JSON.readTree(created.body()).get("webSocketDebuggerUrl").asText();
        page = http.newWebSocketBuilder().buildAsync(URI.create(socket), new Listener())
                .get(ANSWER.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * The value of the JavaScript {@code expression} in the page (awaited when it is a promise), as JSON; an exception
     * in the page is thrown here.
     */
    public JsonNode evaluate(String expression) throws Exception {
        ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode result = call("Runtime.evaluate", params);
        if (result.at("/result/exceptionDetails").isObject()) {
            throw new IllegalStateException("evaluating " + expression + " failed: " + result);
        }
        return result.at("/result/result/value");
    }

    /** The page as it looks now, as PNG bytes: for a person to look at what a test saw. */
    public byte[] screenshot() throws Exception {
        JsonNode result = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        return java.util.Base64.getDecoder().decode(result.at("/result/data").asText());
    }

    /** Sends one DevTools call to the page and waits for its answer; a protocol error is thrown here. */
    private JsonNode call(String method, ObjectNode params) throws Exception {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode call = JSON.createObjectNode().put("id", id).put("method", method);
        call.set("params", params);
        page.sendText(JSON.writeValueAsString(call), true).get(ANSWER.toSeconds(), TimeUnit.SECONDS);
        JsonNode result = answer.get(ANSWER.toSeconds(), TimeUnit.SECONDS);
        if (result.has("error")) {
            throw new IllegalStateException(method + " failed: " + result);
        }
        return result;
    }

    /** The text of {@code evaluate}'s answer, for expressions that return a string. */
    public String text(String expression) throws Exception {
        return evaluate(expression).asText();
    }

    @Override
    public void close() {
        if (page != null) {
            page.abort();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Collects the page's messages (possibly in parts) and completes the call each answers; events are ignored. */
    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode json = JSON.readTree(message);
                    if (json.has("id")) {
                        CompletableFuture<JsonNode> answer = pending.remove(json.get("id").asLong());
                        if (answer != null) {
                            answer.complete(json);
                        }
                    }
                } catch (IOException e) {
                    pending.values().forEach(answer -> answer.completeExceptionally(e));
                }
            }
            socket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            List.copyOf(pending.values()).forEach(answer -> answer.completeExceptionally(error));
        }
    }
}
