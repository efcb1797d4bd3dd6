package io.switchboard.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.chat.ChatHarness.Client;
import io.switchboard.chat.internal.ChatDatabase;
import io.switchboard.chat.internal.ChatStore;
import io.switchboard.client.CloseReason;
import io.switchboard.client.Response;
import io.switchboard.gate.KickReasons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static io.switchboard.chat.ChatHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat flows over real connections, against one database kind: the subclasses run them on H2 and on real
 * PostgreSQL and MariaDB servers. Each test gets a new, empty database.
 */
abstract class ChatFlowContract {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration TOKEN_TTL = Duration.ofHours(1);

    static final int TEST_ITERATIONS = 1_000;   // fast tests; production uses the default

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    String databaseUrl;
    ChatHarness chat;

    /** The JDBC URL of a new, empty database. */
    abstract String newDatabaseUrl() throws Exception;

    String databaseUser() {
        return null;
    }

    String databasePassword() {
        return "";
    }

    @BeforeEach
    void startServer() throws Exception {
        databaseUrl = newDatabaseUrl();
        chat = new ChatHarness(config(TEST_ITERATIONS));
    }

    /** The test's database, clock and token lifetime, with new password hashes of {@code iterations}. */
    ChatConfig config(int iterations) {
        return builder(iterations).build();
    }

    ChatConfig.Builder builder(int iterations) {
        return ChatConfig.builder()
                .jdbcUrl(databaseUrl)
                .username(databaseUser())
                .password(databasePassword())
                .clock(clock)
                .tokenTtl(TOKEN_TTL)
                .passwordIterations(iterations);
    }

    @AfterEach
    void stopServer() {
        if (chat != null) {
            chat.close();
        }
    }

    @Test
    void registerLoginAndTokenHandshake() throws Exception {
        Client c = chat.connect();
        JsonNode registered = c.ok(ChatRoutes.REGISTER, "name", "ann", "password", "ann-secret");
        assertThat(registered.get("name").asText()).isEqualTo("ann");
        assertThat(c.error(ChatRoutes.REGISTER, "name", "ann", "password", "other-secret"))
                .isEqualTo(ChatErrors.NAME_TAKEN.code());
        assertThat(c.error(ChatRoutes.LOGIN, "name", "ann", "password", "wrong-secret"))
                .isEqualTo(ChatErrors.WRONG_PASSWORD.code());
        assertThat(c.error(ChatRoutes.LOGIN, "name", "nobody", "password", "ann-secret"))
                .isEqualTo(ChatErrors.WRONG_PASSWORD.code());
        assertThat(c.error(ChatRoutes.CONVERSATIONS)).isEqualTo(ChatErrors.NOT_LOGGED_IN.code());

        JsonNode login = c.ok(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret");
        assertThat(login.get("userId").asText()).isEqualTo(registered.get("userId").asText());
        assertThat(login.get("conversations").isArray()).isTrue();
        String token = login.get("token").asText();

        // A second client logs in during the handshake with the token; the first is kicked (single login).
        Client tokenClient = chat.connect("tcp", json("token", token));
        JsonNode user = tokenClient.client.handshakeResponse().get("user");
        assertThat(user.get("code").asInt()).isEqualTo(200);
        assertThat(user.get("name").asText()).isEqualTo("ann");
        assertThat(tokenClient.ok(ChatRoutes.CONVERSATIONS).get("conversations").size()).isZero();
        assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.kicked(KickReasons.LOGGED_IN_ELSEWHERE));
    }

    @Test
    void aHashOfAnOlderCostIsRedoneAtLogin() throws Exception {
        chat.register("ann");
        String old = storedHash("ann");
        assertThat(old).startsWith("pbkdf2-sha256$" + TEST_ITERATIONS + "$");

        // The cost is raised; ann's next login stores her hash at the new cost, and it still verifies.
        chat.close();
        chat = new ChatHarness(config(2 * TEST_ITERATIONS));
        chat.connect().ok(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret");
        String upgraded = storedHash("ann");
        assertThat(upgraded).startsWith("pbkdf2-sha256$" + 2 * TEST_ITERATIONS + "$").isNotEqualTo(old);
        Client again = chat.connect();
        assertThat(again.error(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secreT"))
                .isEqualTo(ChatErrors.WRONG_PASSWORD.code());
        again.ok(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret");
        assertThat(storedHash("ann")).isEqualTo(upgraded);
    }

    /** The password hash stored for {@code name}, read past the application. */
    String storedHash(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(databaseUrl, databaseUser(), databasePassword());
             PreparedStatement s = c.prepareStatement("SELECT password_hash FROM chat_user WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as("a user named %s", name).isTrue();
                return r.getString(1);
            }
        }
    }

    @Test
    void singleLoginKicksTheOlderSession() throws Exception {
        chat.register("ann");
        Client first = chat.login("ann");
        Client second = chat.login("ann");
        assertThat(first.closed.get(10, TimeUnit.SECONDS))
                .isEqualTo(CloseReason.kicked(KickReasons.LOGGED_IN_ELSEWHERE));
        second.ok(ChatRoutes.CONVERSATIONS);
        await().atMost(WAIT).until(() -> chat.chat.onlineUsers() == 1);

        // One connection cannot be two users.
        chat.register("bob");
        assertThat(second.error(ChatRoutes.LOGIN, "name", "bob", "password", "bob-secret"))
                .isEqualTo(ChatErrors.ALREADY_LOGGED_IN.code());
    }

    @Test
    void tokensExpireAndLogoutRevokesThem() throws Exception {
        chat.register("ann");
        Client c = chat.connect();
        String token = c.ok(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret").get("token").asText();
        Client resumed = chat.connect();
        assertThat(resumed.ok(ChatRoutes.RESUME, "token", token).get("name").asText()).isEqualTo("ann");
        resumed.ok(ChatRoutes.CONVERSATIONS);

        Client forged = chat.connect("ws", json("token", token.substring(0, token.length() - 2) + "xx"));
        assertThat(forged.client.handshakeResponse().at("/user/code").asLong()).isEqualTo(ChatErrors.BAD_TOKEN.code());
        assertThat(forged.error(ChatRoutes.CONVERSATIONS)).isEqualTo(ChatErrors.NOT_LOGGED_IN.code());
        assertThat(forged.error(ChatRoutes.RESUME, "token", "not a token")).isEqualTo(ChatErrors.BAD_TOKEN.code());

        clock.advance(TOKEN_TTL);
        Client late = chat.connect("ws", json("token", token));
        assertThat(late.client.handshakeResponse().at("/user/code").asLong())
                .isEqualTo(ChatErrors.TOKEN_EXPIRED.code());
        assertThat(late.error(ChatRoutes.RESUME, "token", token)).isEqualTo(ChatErrors.TOKEN_EXPIRED.code());

        String fresh = late.ok(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret").get("token").asText();
        late.ok(ChatRoutes.LOGOUT);
        assertThat(late.error(ChatRoutes.CONVERSATIONS)).isEqualTo(ChatErrors.NOT_LOGGED_IN.code());
        Client revoked = chat.connect("ws", json("token", fresh));
        assertThat(revoked.client.handshakeResponse().at("/user/code").asLong())
                .isEqualTo(ChatErrors.BAD_TOKEN.code());
    }

    @Test
    void directMessagesAreStoredSequencedAndPushed() throws Exception {
        chat.register("ann");
        chat.register("bob");
        Client ann = chat.login("ann");
        Client bob = chat.login("bob");

        JsonNode first = ann.ok(ChatRoutes.SEND, "to", "bob", "text", "hi bob");
        String conversation = first.get("conversation").asText();
        assertThat(first.get("seq").asLong()).isEqualTo(1);
        assertThat(first.get("id").asText()).matches("[0-9]+");
        assertThat(first.get("duplicate").asBoolean()).isFalse();
        await().atMost(WAIT).until(() -> bob.pushes(ChatRoutes.ON_MESSAGE).size() == 1);
        JsonNode pushed = bob.pushes(ChatRoutes.ON_MESSAGE).get(0);
        assertThat(pushed.get("text").asText()).isEqualTo("hi bob");
        assertThat(pushed.get("from").asText()).isEqualTo("ann");
        assertThat(pushed.get("id").asText()).isEqualTo(first.get("id").asText());

        JsonNode reply = bob.ok(ChatRoutes.SEND, "conversation", conversation, "text", "hi ann");
        assertThat(reply.get("seq").asLong()).isEqualTo(2);
        await().atMost(WAIT).until(() -> ann.pushes(ChatRoutes.ON_MESSAGE).size() == 1);
        assertThat(ann.pushes(ChatRoutes.ON_MESSAGE)).noneMatch(m -> m.get("text").asText().equals("hi bob"));

        JsonNode list = ann.ok(ChatRoutes.CONVERSATIONS).get("conversations");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("name").asText()).isEqualTo("bob");
        assertThat(list.get(0).get("kind").asText()).isEqualTo("direct");
        assertThat(list.get(0).get("lastSeq").asLong()).isEqualTo(2);
        assertThat(list.get(0).get("unread").asLong()).isEqualTo(1);

        JsonNode history = ann.ok(ChatRoutes.HISTORY, "conversation", conversation);
        assertThat(texts(history)).containsExactly("hi bob", "hi ann");
        assertThat(history.get("more").asBoolean()).isFalse();
    }

    @Test
    void resendWithTheSameClientIdIsStoredOnce() throws Exception {
        chat.register("ann");
        chat.register("bob");
        Client ann = chat.login("ann");
        Client bob = chat.login("bob");
        JsonNode sent = ann.ok(ChatRoutes.SEND, "to", "bob", "text", "once", "clientId", "m-1");
        // The answer was "lost": ann reconnects and sends again with the same client id.
        ann.close();
        Client again = chat.login("ann");
        JsonNode resent = again.ok(ChatRoutes.SEND, "to", "bob", "text", "once", "clientId", "m-1");
        assertThat(resent.get("duplicate").asBoolean()).isTrue();
        assertThat(resent.get("id").asText()).isEqualTo(sent.get("id").asText());
        assertThat(resent.get("seq").asLong()).isEqualTo(sent.get("seq").asLong());
        again.ok(ChatRoutes.SEND, "to", "bob", "text", "next", "clientId", "m-2");

        await().atMost(WAIT).until(() -> bob.pushes(ChatRoutes.ON_MESSAGE).size() == 2);
        assertThat(bob.pushes(ChatRoutes.ON_MESSAGE).stream().map(m -> m.get("text").asText()))
                .containsExactly("once", "next");
        JsonNode history = bob.ok(ChatRoutes.HISTORY, "conversation", sent.get("conversation").asText());
        assertThat(texts(history)).containsExactly("once", "next");
    }

    @Test
    void textsAndClientIdsAreStoredExactly() throws Exception {
        chat.register("ann");
        chat.register("bob");
        Client ann = chat.login("ann");
        String text = "h\u00e9llo \ud83d\udc4b \u4e16\u754c";   // accents, an emoji (4 bytes in UTF-8), CJK
        JsonNode first = ann.ok(ChatRoutes.SEND, "to", "bob", "text", text, "clientId", "m-1");
        String conversation = first.get("conversation").asText();
        // Client ids differ by case or a trailing space: other messages, not resends.
        for (String other : List.of("M-1", "m-1 ")) {
            JsonNode sent = ann.ok(ChatRoutes.SEND, "conversation", conversation, "text", other, "clientId", other);
            assertThat(sent.get("duplicate").asBoolean()).as(other).isFalse();
        }
        assertThat(ann.ok(ChatRoutes.SEND, "conversation", conversation, "text", "x", "clientId", "m-1")
                .get("duplicate").asBoolean()).isTrue();
        JsonNode history = ann.ok(ChatRoutes.HISTORY, "conversation", conversation);
        assertThat(texts(history)).containsExactly(text, "M-1", "m-1 ");
        assertThat(history.findValuesAsText("clientId")).containsExactly("m-1", "M-1", "m-1 ");
        // A conversation id differing in case is another (missing) conversation.
        assertThat(ann.error(ChatRoutes.HISTORY, "conversation", conversation.toUpperCase(java.util.Locale.ROOT)))
                .isEqualTo(ChatErrors.NO_SUCH_CONVERSATION.code());
    }

    @Test
    void theGroupListIsTheFirstGroupsByNameWithTheirCounts() throws Exception {
        try (ChatDatabase database = ChatDatabase.open(config(TEST_ITERATIONS))) {
            ChatStore store = new ChatStore(database.dataSource());
            store.insertUser(1, "ann", "hash", 0);
            store.insertUser(2, "bob", "hash", 0);
            store.ensureDirect("d:1:2", 1, 2, 0);   // not a group: never listed
            List<String> names = List.of("echo", "delta", "charlie", "bravo", "alpha");
            for (int i = 0; i < names.size(); i++) {
                store.createGroup("g:" + i, names.get(i), 1, i % 2 == 0 ? List.of(2L) : List.of(), 0);
            }
            List<ChatStore.Group> first = store.groups(2, 3);
            assertThat(first).extracting(ChatStore.Group::name).containsExactly("alpha", "bravo", "charlie");
            assertThat(first).extracting(ChatStore.Group::members).containsExactly(2, 1, 2);
            assertThat(first).extracting(ChatStore.Group::member).containsExactly(true, false, true);
            assertThat(store.groups(2, 10)).hasSize(5);
        }
    }

    @Test
    void concurrentResendsOfOneClientIdStoreOneMessageAndSkipNoSequence() throws Exception {
        try (ChatDatabase database = ChatDatabase.open(config(TEST_ITERATIONS))) {
            ChatStore store = new ChatStore(database.dataSource());
            store.insertUser(1, "ann", "hash", 0);
            store.insertUser(2, "bob", "hash", 0);
            store.ensureDirect("d:1:2", 1, 2, 0);
            int senders = 6;
            CyclicBarrier start = new CyclicBarrier(senders);
            List<CompletableFuture<ChatStore.Message>> appends = new ArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(senders);
            try {
                for (int i = 0; i < senders; i++) {
                    long id = 100 + i;
                    appends.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            start.await(10, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return store.append(id, "d:1:2", 1, "ann", "same", "text", 0);
                    }, threads));
                }
                Set<Long> stored = new HashSet<>();
                for (CompletableFuture<ChatStore.Message> append : appends) {
                    ChatStore.Message message = append.get(30, TimeUnit.SECONDS);
                    assertThat(message.seq()).isEqualTo(1);
                    stored.add(message.id());
                }
                assertThat(stored).hasSize(1);
            } finally {
                threads.shutdownNow();
            }
            // The losers' sequence increments were rolled back with their inserts: the next message is 2.
            assertThat(store.conversation("d:1:2").lastSeq()).isEqualTo(1);
            assertThat(store.append(200, "d:1:2", 2, "bob", null, "next", 0).seq()).isEqualTo(2);
            assertThat(store.after("d:1:2", 0, 10)).extracting(ChatStore.Message::seq).containsExactly(1L, 2L);
        }
    }

    @Test
    void groupsCreateJoinInviteLeaveAndMembers() throws Exception {
        for (String name : List.of("ann", "bob", "cat", "dan")) {
            chat.register(name);
        }
        Client ann = chat.login("ann");
        Client bob = chat.login("bob");
        Client cat = chat.login("cat");
        Client dan = chat.login("dan");

        JsonNode group = ann.ok(ChatRoutes.GROUP_CREATE, "name", "lobby", "members", List.of("bob"));
        String id = group.get("conversation").asText();
        assertThat(names(group.get("members"))).containsExactly("ann", "bob");
        await().atMost(WAIT).until(() -> bob.pushes(ChatRoutes.ON_MEMBER).size() == 1);
        assertThat(bob.pushes(ChatRoutes.ON_MEMBER).get(0).get("event").asText()).isEqualTo("invited");

        ann.ok(ChatRoutes.SEND, "conversation", id, "text", "before cat");
        assertThat(cat.error(ChatRoutes.SEND, "conversation", id, "text", "hi"))
                .isEqualTo(ChatErrors.NOT_A_MEMBER.code());
        assertThat(cat.error(ChatRoutes.HISTORY, "conversation", id)).isEqualTo(ChatErrors.NOT_A_MEMBER.code());
        JsonNode listed = cat.ok(ChatRoutes.GROUP_LIST).get("groups");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("member").asBoolean()).isFalse();

        cat.ok(ChatRoutes.GROUP_JOIN, "conversation", id);
        assertThat(cat.error(ChatRoutes.GROUP_JOIN, "conversation", id)).isEqualTo(ChatErrors.ALREADY_A_MEMBER.code());
        await().atMost(WAIT).until(() -> ann.pushes(ChatRoutes.ON_MEMBER).stream()
                .anyMatch(e -> e.get("event").asText().equals("joined") && e.get("user").asText().equals("cat")));
        // A member sees the messages from when it joined.
        assertThat(texts(cat.ok(ChatRoutes.HISTORY, "conversation", id))).isEmpty();

        bob.ok(ChatRoutes.GROUP_INVITE, "conversation", id, "user", "dan");
        assertThat(bob.error(ChatRoutes.GROUP_INVITE, "conversation", id, "user", "dan"))
                .isEqualTo(ChatErrors.ALREADY_A_MEMBER.code());
        assertThat(bob.error(ChatRoutes.GROUP_INVITE, "conversation", id, "user", "zed"))
                .isEqualTo(ChatErrors.NO_SUCH_USER.code());
        JsonNode members = dan.ok(ChatRoutes.GROUP_MEMBERS, "conversation", id).get("members");
        assertThat(members).hasSize(4);
        assertThat(members).allMatch(m -> m.get("online").asBoolean());

        JsonNode hello = ann.ok(ChatRoutes.SEND, "conversation", id, "text", "hello all");
        assertThat(hello.get("seq").asLong()).isEqualTo(2);
        for (Client member : List.of(bob, cat, dan)) {
            await().atMost(WAIT).until(() -> member.pushes(ChatRoutes.ON_MESSAGE).stream()
                    .anyMatch(m -> m.get("text").asText().equals("hello all")));
        }

        dan.ok(ChatRoutes.GROUP_LEAVE, "conversation", id);
        assertThat(dan.error(ChatRoutes.GROUP_LEAVE, "conversation", id)).isEqualTo(ChatErrors.NOT_A_MEMBER.code());
        assertThat(dan.error(ChatRoutes.SEND, "conversation", id, "text", "x")).isEqualTo(ChatErrors.NOT_A_MEMBER.code());
        ann.ok(ChatRoutes.SEND, "conversation", id, "text", "after dan");
        await().atMost(WAIT).until(() -> bob.pushes(ChatRoutes.ON_MESSAGE).stream()
                .anyMatch(m -> m.get("text").asText().equals("after dan")));
        assertThat(dan.pushes(ChatRoutes.ON_MESSAGE)).noneMatch(m -> m.get("text").asText().equals("after dan"));
        assertThat(names(ann.ok(ChatRoutes.GROUP_MEMBERS, "conversation", id).get("members").findValues("name")))
                .containsExactly("ann", "bob", "cat");
    }

    @Test
    void groupsAndConversationListsAreBounded() throws Exception {
        chat.close();
        chat = new ChatHarness(builder(TEST_ITERATIONS).groupLimits(3, 2).maxConversationsListed(2).build());
        for (String name : List.of("ann", "bob", "cat", "dan")) {
            chat.register(name);
        }
        Client ann = chat.login("ann");
        Client bob = chat.login("bob");
        Client dan = chat.login("dan");

        // Three members at most: a bigger group is not made, a full one takes nobody more.
        assertThat(ann.error(ChatRoutes.GROUP_CREATE, "name", "big", "members", List.of("bob", "cat", "dan")))
                .isEqualTo(ChatErrors.GROUP_FULL.code());
        String full = ann.ok(ChatRoutes.GROUP_CREATE, "name", "full", "members", List.of("bob", "cat"))
                .get("conversation").asText();
        assertThat(dan.error(ChatRoutes.GROUP_JOIN, "conversation", full)).isEqualTo(ChatErrors.GROUP_FULL.code());
        assertThat(ann.error(ChatRoutes.GROUP_INVITE, "conversation", full, "user", "dan"))
                .isEqualTo(ChatErrors.GROUP_FULL.code());

        // Two groups per user, whoever asks: ann creates no third, and nobody puts her or bob in one.
        String second = ann.ok(ChatRoutes.GROUP_CREATE, "name", "second", "members", List.of())
                .get("conversation").asText();
        assertThat(ann.error(ChatRoutes.GROUP_CREATE, "name", "third")).isEqualTo(ChatErrors.TOO_MANY_GROUPS.code());
        String dans = dan.ok(ChatRoutes.GROUP_CREATE, "name", "dans", "members", List.of("bob"))
                .get("conversation").asText();
        assertThat(dan.error(ChatRoutes.GROUP_INVITE, "conversation", dans, "user", "ann"))
                .isEqualTo(ChatErrors.TOO_MANY_GROUPS.code());
        assertThat(dan.error(ChatRoutes.GROUP_CREATE, "name", "more", "members", List.of("ann")))
                .isEqualTo(ChatErrors.TOO_MANY_GROUPS.code());
        assertThat(bob.error(ChatRoutes.GROUP_JOIN, "conversation", second))
                .isEqualTo(ChatErrors.TOO_MANY_GROUPS.code());
        bob.ok(ChatRoutes.GROUP_LEAVE, "conversation", dans);
        bob.ok(ChatRoutes.GROUP_JOIN, "conversation", second);

        // Ann is in two groups and one direct conversation: the list gives the newest two and says there is more.
        // Newest by time, not by how many messages: the busy group's three came before the direct one.
        for (int i = 0; i < 3; i++) {
            ann.ok(ChatRoutes.SEND, "conversation", full, "text", "busy " + i);
        }
        clock.advance(Duration.ofSeconds(1));
        ann.ok(ChatRoutes.SEND, "to", "dan", "text", "newest");
        JsonNode listed = ann.ok(ChatRoutes.CONVERSATIONS);
        assertThat(listed.get("conversations")).hasSize(2);
        assertThat(listed.get("conversations").get(0).get("kind").asText()).isEqualTo("direct");
        assertThat(listed.get("more").asBoolean()).isTrue();
        JsonNode login = chat.connect().ok(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret");
        assertThat(login.get("conversations")).hasSize(2);
        assertThat(login.get("more").asBoolean()).isTrue();
        assertThat(dan.ok(ChatRoutes.CONVERSATIONS).has("more")).as("dan's two fit").isFalse();
    }

    @Test
    void offlineSyncInPagesAcrossDisconnectsLosesAndRepeatsNothing() throws Exception {
        chat.register("ann");
        chat.register("bob");
        Client ann = chat.login("ann");
        String conversation = ann.ok(ChatRoutes.SEND, "to", "bob", "text", "m1").get("conversation").asText();
        for (int i = 2; i <= 120; i++) {
            ann.ok(ChatRoutes.SEND, "conversation", conversation, "text", "m" + i);
        }

        // bob was offline: the login answer says what he missed.
        Client bob = chat.connect();
        JsonNode login = bob.ok(ChatRoutes.LOGIN, "name", "bob", "password", "bob-secret");
        JsonNode index = login.get("conversations").get(0);
        assertThat(index.get("conversation").asText()).isEqualTo(conversation);
        assertThat(index.get("ackSeq").asLong()).isZero();
        assertThat(index.get("unread").asLong()).isEqualTo(120);

        List<Long> received = new ArrayList<>();
        JsonNode page = bob.ok(ChatRoutes.PULL, "conversation", conversation, "limit", 50);
        assertThat(page.get("more").asBoolean()).isTrue();
        page.get("messages").forEach(m -> received.add(m.get("seq").asLong()));
        bob.ok(ChatRoutes.ACK, "conversation", conversation, "seq", received.get(received.size() - 1));

        // The connection drops; meanwhile ann writes more. bob comes back with his token.
        String token = login.get("token").asText();
        bob.close();
        ann.ok(ChatRoutes.SEND, "conversation", conversation, "text", "m121");
        Client back = chat.connect("tcp", json("token", token));
        JsonNode again = back.ok(ChatRoutes.CONVERSATIONS).get("conversations").get(0);
        assertThat(again.get("ackSeq").asLong()).isEqualTo(50);
        assertThat(again.get("unread").asLong()).isEqualTo(71);
        boolean more = true;
        while (more) {
            JsonNode next = back.ok(ChatRoutes.PULL, "conversation", conversation, "limit", 50);
            next.get("messages").forEach(m -> received.add(m.get("seq").asLong()));
            more = next.get("more").asBoolean();
            back.ok(ChatRoutes.ACK, "conversation", conversation, "seq", received.get(received.size() - 1));
        }
        assertThat(received).containsExactlyElementsOf(LongStream.rangeClosed(1, 121).boxed().toList());
        assertThat(back.ok(ChatRoutes.PULL, "conversation", conversation).get("messages")).isEmpty();
        assertThat(back.ok(ChatRoutes.CONVERSATIONS).at("/conversations/0/unread").asLong()).isZero();

        // An explicit afterSeq re-reads from anywhere; acks never move the cursor back.
        JsonNode reread = back.ok(ChatRoutes.PULL, "conversation", conversation, "afterSeq", 119);
        assertThat(texts(reread)).containsExactly("m120", "m121");
        assertThat(back.ok(ChatRoutes.ACK, "conversation", conversation, "seq", 3).get("ackSeq").asLong())
                .isEqualTo(121);
    }

    @Test
    void historyPagesBackwards() throws Exception {
        chat.register("ann");
        chat.register("bob");
        Client ann = chat.login("ann");
        String conversation = ann.ok(ChatRoutes.SEND, "to", "bob", "text", "m1").get("conversation").asText();
        for (int i = 2; i <= 25; i++) {
            ann.ok(ChatRoutes.SEND, "conversation", conversation, "text", "m" + i);
        }
        JsonNode newest = ann.ok(ChatRoutes.HISTORY, "conversation", conversation, "limit", 10);
        assertThat(texts(newest)).containsExactly("m16", "m17", "m18", "m19", "m20", "m21", "m22", "m23", "m24",
                "m25");
        assertThat(newest.get("more").asBoolean()).isTrue();
        JsonNode older = ann.ok(ChatRoutes.HISTORY, "conversation", conversation, "beforeSeq", 16, "limit", 10);
        assertThat(older.at("/messages/0/seq").asLong()).isEqualTo(6);
        JsonNode oldest = ann.ok(ChatRoutes.HISTORY, "conversation", conversation, "beforeSeq", 6, "limit", 10);
        assertThat(texts(oldest)).containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(oldest.get("more").asBoolean()).isFalse();
    }

    @Test
    void concurrentSendersGetUniqueGaplessSequences() throws Exception {
        chat.register("ann");
        chat.register("bob");
        Client ann = chat.login("ann");
        Client bob = chat.login("bob");
        String group = ann.ok(ChatRoutes.GROUP_CREATE, "name", "race", "members", List.of("bob"))
                .get("conversation").asText();
        List<CompletableFuture<Response>> sends = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sends.add(ann.client.request(ChatRoutes.SEND, json("conversation", group, "text", "a" + i)));
            sends.add(bob.client.request(ChatRoutes.SEND, json("conversation", group, "text", "b" + i)));
        }
        Set<Long> seqs = new HashSet<>();
        for (CompletableFuture<Response> send : sends) {
            Response response = send.get(30, TimeUnit.SECONDS);
            assertThat(response.isError()).as("%s", response).isFalse();
            seqs.add(response.json().get("seq").asLong());
        }
        assertThat(seqs).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 80).boxed().toList());
    }

    @Test
    void everyRouteRefusesBadInputWithAChatCode() throws Exception {
        chat.register("ann");
        chat.register("bob");
        Client anonymous = chat.connect();
        for (String route : List.of(ChatRoutes.LOGOUT, ChatRoutes.SEND, ChatRoutes.PULL, ChatRoutes.HISTORY,
                ChatRoutes.ACK, ChatRoutes.CONVERSATIONS, ChatRoutes.GROUP_CREATE, ChatRoutes.GROUP_JOIN,
                ChatRoutes.GROUP_INVITE, ChatRoutes.GROUP_LEAVE, ChatRoutes.GROUP_MEMBERS, ChatRoutes.GROUP_LIST)) {
            assertThat(anonymous.error(route, json("conversation", "g:1", "text", "x")))
                    .as(route).isEqualTo(ChatErrors.NOT_LOGGED_IN.code());
        }
        long badRequest = ChatErrors.BAD_REQUEST.code();
        assertThat(anonymous.error(ChatRoutes.REGISTER, "not json".getBytes())).isEqualTo(badRequest);
        assertThat(anonymous.error(ChatRoutes.REGISTER, "[1,2]".getBytes())).isEqualTo(badRequest);
        assertThat(anonymous.error(ChatRoutes.REGISTER, json("name", "zed"))).isEqualTo(badRequest);
        assertThat(anonymous.error(ChatRoutes.REGISTER, json("name", 7, "password", "long-enough")))
                .isEqualTo(badRequest);
        for (String name : List.of("ab", "Zed", "9lives", "a-b", "x".repeat(21), "", "ann ")) {
            assertThat(anonymous.error(ChatRoutes.REGISTER, json("name", name, "password", "long-enough")))
                    .as(name).isEqualTo(ChatErrors.BAD_NAME.code());
        }
        assertThat(anonymous.error(ChatRoutes.REGISTER, json("name", "zed", "password", "short")))
                .isEqualTo(ChatErrors.BAD_PASSWORD.code());
        assertThat(anonymous.error(ChatRoutes.REGISTER, json("name", "zed", "password", "p".repeat(129))))
                .isEqualTo(ChatErrors.BAD_PASSWORD.code());
        assertThat(anonymous.error(ChatRoutes.LOGIN, json("name", "ann"))).isEqualTo(badRequest);
        assertThat(anonymous.error(ChatRoutes.LOGIN, json("name", "ANN", "password", "ann-secret")))
                .isEqualTo(ChatErrors.WRONG_PASSWORD.code());
        assertThat(anonymous.error(ChatRoutes.RESUME, json())).isEqualTo(badRequest);
        assertThat(anonymous.error(ChatRoutes.RESUME, json("token", "a.b"))).isEqualTo(ChatErrors.BAD_TOKEN.code());
        assertThat(anonymous.error(ChatRoutes.RESUME, json("token", "x".repeat(5000))))
                .isEqualTo(ChatErrors.BAD_TOKEN.code());

        Client ann = chat.login("ann");
        String direct = ann.ok(ChatRoutes.SEND, "to", "bob", "text", "hi").get("conversation").asText();
        String group = ann.ok(ChatRoutes.GROUP_CREATE, "name", "g").get("conversation").asText();
        Object[][] cases = {
                {ChatRoutes.SEND, json("text", "no target"), badRequest},
                {ChatRoutes.SEND, json("to", "bob", "conversation", direct, "text", "both"), badRequest},
                {ChatRoutes.SEND, json("to", "bob"), badRequest},
                {ChatRoutes.SEND, json("to", "bob", "text", ""), ChatErrors.BAD_MESSAGE.code()},
                {ChatRoutes.SEND, json("to", "bob", "text", "   "), ChatErrors.BAD_MESSAGE.code()},
                {ChatRoutes.SEND, json("to", "bob", "text", "x".repeat(2001)), ChatErrors.BAD_MESSAGE.code()},
                {ChatRoutes.SEND, json("to", "bob", "text", List.of("x")), badRequest},
                {ChatRoutes.SEND, json("to", "zed", "text", "x"), ChatErrors.NO_SUCH_USER.code()},
                {ChatRoutes.SEND, json("to", "ann", "text", "x"), badRequest},
                {ChatRoutes.SEND, json("to", "bob", "text", "x", "clientId", "c".repeat(65)), badRequest},
                {ChatRoutes.SEND, json("conversation", "g:404", "text", "x"), ChatErrors.NO_SUCH_CONVERSATION.code()},
                {ChatRoutes.PULL, json(), badRequest},
                {ChatRoutes.PULL, json("conversation", direct, "afterSeq", -1), badRequest},
                {ChatRoutes.PULL, json("conversation", direct, "afterSeq", "1"), badRequest},
                {ChatRoutes.PULL, json("conversation", direct, "limit", 0), badRequest},
                {ChatRoutes.PULL, json("conversation", direct, "limit", 201), badRequest},
                {ChatRoutes.PULL, json("conversation", "nope"), ChatErrors.NO_SUCH_CONVERSATION.code()},
                {ChatRoutes.HISTORY, json("conversation", direct, "beforeSeq", 1.5), badRequest},
                {ChatRoutes.HISTORY, json("conversation", direct, "limit", "ten"), badRequest},
                {ChatRoutes.HISTORY, json("conversation", "d:1:2"), ChatErrors.NO_SUCH_CONVERSATION.code()},
                {ChatRoutes.ACK, json("conversation", direct), badRequest},
                {ChatRoutes.ACK, json("conversation", direct, "seq", 2), badRequest},
                {ChatRoutes.ACK, json("conversation", direct, "seq", -3), badRequest},
                {ChatRoutes.GROUP_CREATE, json(), badRequest},
                {ChatRoutes.GROUP_CREATE, json("name", "  "), ChatErrors.BAD_GROUP_NAME.code()},
                {ChatRoutes.GROUP_CREATE, json("name", "n".repeat(41)), ChatErrors.BAD_GROUP_NAME.code()},
                {ChatRoutes.GROUP_CREATE, json("name", "g", "members", "bob"), badRequest},
                {ChatRoutes.GROUP_CREATE, json("name", "g", "members", List.of(1)), badRequest},
                {ChatRoutes.GROUP_CREATE, json("name", "g", "members", List.of("zed")), ChatErrors.NO_SUCH_USER.code()},
                {ChatRoutes.GROUP_JOIN, json(), badRequest},
                {ChatRoutes.GROUP_JOIN, json("conversation", "g:404"), ChatErrors.NO_SUCH_CONVERSATION.code()},
                {ChatRoutes.GROUP_JOIN, json("conversation", direct), ChatErrors.NOT_A_GROUP.code()},
                {ChatRoutes.GROUP_JOIN, json("conversation", group), ChatErrors.ALREADY_A_MEMBER.code()},
                {ChatRoutes.GROUP_INVITE, json("conversation", group), badRequest},
                {ChatRoutes.GROUP_INVITE, json("conversation", direct, "user", "bob"), ChatErrors.NOT_A_GROUP.code()},
                {ChatRoutes.GROUP_LEAVE, json("conversation", direct), ChatErrors.NOT_A_GROUP.code()},
                {ChatRoutes.GROUP_LEAVE, json("conversation", 5), badRequest},
                {ChatRoutes.GROUP_MEMBERS, json("conversation", "g:404"), ChatErrors.NO_SUCH_CONVERSATION.code()},
                {ChatRoutes.GROUP_LIST, json("limit", 1000), badRequest},
                {ChatRoutes.CONVERSATIONS, "{".getBytes(), badRequest},
                {ChatRoutes.LOGIN, json("name", "bob", "password", "bob-secret"), ChatErrors.ALREADY_LOGGED_IN.code()},
        };
        for (Object[] c : cases) {
            Response response = c[1] instanceof byte[] bytes
                    ? ann.call((String) c[0], bytes) : ann.call((String) c[0], (JsonNode) c[1]);
            assertThat(response.isError()).as("%s %s", c[0], c[1]).isTrue();
            assertThat(response.errorCode()).as("%s %s: %s", c[0], c[1], response.errorMessage()).isEqualTo(c[2]);
            assertThat(response.errorMessage()).isNotBlank().doesNotContain("Exception");
        }

        Client bob = chat.login("bob");
        assertThat(bob.error(ChatRoutes.GROUP_INVITE, "conversation", group, "user", "bob"))
                .isEqualTo(ChatErrors.NOT_A_MEMBER.code());
        assertThat(bob.error(ChatRoutes.GROUP_MEMBERS, "conversation", group)).isEqualTo(ChatErrors.NOT_A_MEMBER.code());
        // Still fine after all that.
        assertThat(ann.ok(ChatRoutes.HISTORY, "conversation", direct).get("messages")).hasSize(1);
    }

    static List<String> texts(JsonNode page) {
        List<String> texts = new ArrayList<>();
        page.get("messages").forEach(m -> texts.add(m.get("text").asText()));
        return texts;
    }

    static List<String> names(Iterable<JsonNode> nodes) {
        List<String> names = new ArrayList<>();
        nodes.forEach(n -> names.add(n.asText()));
        return names;
    }
}
