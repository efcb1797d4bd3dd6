package io.switchboard.chat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The web page on the gate's client port, beside the WebSocket and TCP clients on the same port. */
class WebPageTest {
    private ChatHarness chat;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        chat = new ChatHarness(ChatConfig.builder().jdbcUrl(ChatConfig.h2MemoryUrl("web-" + UUID.randomUUID()))
                .passwordIterations(1_000).build());
    }

    @AfterEach
    void stop() {
        chat.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chat.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndItsScripts() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<title>Switchboard chat</title>", "/pomelo-client.js", "/chat.js");
        assertThat(get("/index.html?x=1").body()).isEqualTo(page.body());

        HttpResponse<String> client = get("/pomelo-client.js");
        assertThat(client.statusCode()).isEqualTo(200);
        assertThat(client.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(client.body()).contains("PomeloClient");
        assertThat(get("/chat.js").body()).contains("chat.auth.login");
        assertThat(get("/chat.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        HttpResponse<String> missing = get("/../../etc/passwd");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(get("/chat").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chat.port() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void theSamePortStillTakesPomeloClients() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(200);
        ChatHarness.Client ws = chat.connect("ws", null);
        ws.ok(ChatRoutes.REGISTER, "name", "ann", "password", "ann-secret");
        ChatHarness.Client tcp = chat.connect("tcp", null);
        tcp.ok(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret");
    }
}
