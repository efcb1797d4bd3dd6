package io.switchboard.chat.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.chat.ChatErrors;
import io.switchboard.chat.ChatRoutes;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.Session;
import io.switchboard.api.HandlerContext;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.Json;

import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The chat routes. Each reads its body through {@link RequestBody}, works on the {@link ChatStore}, answers
 * {@code {"code":200,...}} (so plain Pomelo clients, which ignore the error flag, can tell success apart),
 * and pushes to the online users concerned. A message is stored before its sender's answer is sent.
 */
public final class ChatHandlers {
    static final int MAX_TEXT = 2000;
    static final int MAX_GROUP_NAME = 40;
    static final int MAX_CLIENT_ID = 64;
    static final int MAX_GROUP_INVITES = 100;
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;

    private final Accounts accounts;
    private final ChatStore store;
    private final Presence presence;
    private final LongSupplier ids;
    private final Clock clock;
    /** {@code null} when events are off. */
    private final ChatEvents events;

    public ChatHandlers(Accounts accounts, ChatStore store, Presence presence, LongSupplier ids, Clock clock,
                        ChatEvents events) {
        this.accounts = accounts;
        this.store = store;
        this.presence = presence;
        this.ids = ids;
        this.clock = clock;
        this.events = events;
    }

    public Handlers register(Handlers handlers) {
        return handlers
                .filter(new LoginFilter())
                .request(ChatRoutes.REGISTER, this::register)
                .request(ChatRoutes.LOGIN, this::login)
                .request(ChatRoutes.RESUME, this::resume)
                .request(ChatRoutes.LOGOUT, this::logout)
                .request(ChatRoutes.SEND, this::send)
                .request(ChatRoutes.PULL, this::pull)
                .request(ChatRoutes.HISTORY, this::history)
                .request(ChatRoutes.ACK, this::ack)
                .request(ChatRoutes.CONVERSATIONS, this::conversations)
                .request(ChatRoutes.GROUP_CREATE, this::createGroup)
                .request(ChatRoutes.GROUP_JOIN, this::joinGroup)
                .request(ChatRoutes.GROUP_INVITE, this::invite)
                .request(ChatRoutes.GROUP_LEAVE, this::leaveGroup)
                .request(ChatRoutes.GROUP_MEMBERS, this::members)
                .request(ChatRoutes.GROUP_LIST, this::groups)
                .pushRoutes(ChatRoutes.PUSHES.toArray(String[]::new));
    }

    /** The chat user id bound to a session, or {@code null}. */
    static Long userIdOf(Session session) {
        String bound = session.userId();
        if (bound == null) {
            return null;
        }
        try {
            return Long.parseLong(bound);
        } catch (NumberFormatException e) {
            return null;  // bound by another application on the same server, not a chat user
        }
    }

    // Accounts

    // Register, login and resume run one at a time per connection; the password hashes on the auth pool.

    private Object register(HandlerContext ctx) {
        RequestBody body = RequestBody.of(ctx);
        String name = body.text("name");
        String password = body.text("password");
        String client = LoginThrottle.clientOf(ctx.session().remoteAddress());
        return OneAuthAtATime.run(ctx.session(), () -> accounts.register(name, password, client)
                .thenApply(user -> ok().put("userId", String.valueOf(user.id())).put("name", user.name())));
    }

    private Object login(HandlerContext ctx) {
        RequestBody body = RequestBody.of(ctx);
        String name = body.text("name");
        String password = body.text("password");
        Session session = ctx.session();
        String client = LoginThrottle.clientOf(session.remoteAddress());
        return OneAuthAtATime.run(session, () -> accounts.login(name, password, client)
                .thenCompose(user -> loggedIn(session, user)));
    }

    private Object resume(HandlerContext ctx) {
        String token = RequestBody.of(ctx).text("token");
        Session session = ctx.session();
        return OneAuthAtATime.run(session, () -> loggedIn(session, accounts.verify(token)));
    }

    private CompletionStage<ObjectNode> loggedIn(Session session, ChatStore.User user) {
        Long bound = userIdOf(session);
        if (bound != null && bound != user.id()) {
            throw new SwitchboardException(ChatErrors.ALREADY_LOGGED_IN);
        }
        // The database work happens here, on the handler's thread (the auth pool's after a password); the login
        // may complete on an I/O thread.
        ObjectNode answer = ok()
                .put("userId", String.valueOf(user.id()))
                .put("name", user.name())
                .put("token", accounts.token(user));
        putConversations(answer, user.id());
        return presence.login(user.id(), session).thenApply(v -> answer);
    }

    private Object logout(HandlerContext ctx) {
        long userId = me(ctx);
        RequestBody.of(ctx);
        accounts.logout(userId);
        return presence.logout(userId, ctx.session()).thenApply(v -> ok());
    }

    // Messages

    private Object send(HandlerContext ctx) {
        long me = me(ctx);
        RequestBody body = RequestBody.of(ctx);
        String text = body.text("text");
        int length = text.codePointCount(0, text.length());
        if (length > MAX_TEXT || text.isBlank()) {
            throw new SwitchboardException(ChatErrors.BAD_MESSAGE);
        }
        String clientId = body.optionalText("clientId");
        if (clientId != null && (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID)) {
            throw RequestBody.bad("'clientId' must be 1 to " + MAX_CLIENT_ID + " characters");
        }
        String conversationId;
        if (body.has("to") == body.has("conversation")) {
            throw RequestBody.bad("give either 'to' (a user name) or 'conversation'");
        } else if (body.has("to")) {
            ChatStore.User peer = accounts.byName(body.text("to"));
            if (peer.id() == me) {
                throw RequestBody.bad("you cannot message yourself");
            }
            conversationId = directId(me, peer.id());
            store.ensureDirect(conversationId, me, peer.id(), clock.millis());
        } else {
            conversationId = memberOf(me, body.text("conversation")).conversationId();
        }
        long id = ids.getAsLong();
        ChatStore.Message message = store.append(id, conversationId, me, accounts.nameOf(me), clientId, text,
                clock.millis());
        boolean resend = ChatStore.isResend(message, id);
        if (!resend) {
            if (events != null) {
                events.stored(message);
            }
            List<Long> others = store.members(conversationId).stream().map(ChatStore.Member::userId).toList();
            presence.push(others, me, ChatRoutes.ON_MESSAGE, view(message));
        }
        ObjectNode answer = ok();
        answer.setAll(view(message));
        answer.put("duplicate", resend);
        return answer;
    }

    private Object pull(HandlerContext ctx) {
        long me = me(ctx);
        RequestBody body = RequestBody.of(ctx);
        ChatStore.Membership membership = memberOf(me, body.text("conversation"));
        long after = Math.max(body.seq("afterSeq", membership.ackSeq()), membership.joinedSeq());
        int limit = body.limit("limit", DEFAULT_PAGE, MAX_PAGE);
        List<ChatStore.Message> page = store.after(membership.conversationId(), after, limit + 1);
        boolean more = page.size() > limit;
        return page(membership, more ? page.subList(0, limit) : page, more);
    }

    private Object history(HandlerContext ctx) {
        long me = me(ctx);
        RequestBody body = RequestBody.of(ctx);
        ChatStore.Membership membership = memberOf(me, body.text("conversation"));
        long before = body.seq("beforeSeq", membership.lastSeq() + 1);
        int limit = body.limit("limit", DEFAULT_PAGE, MAX_PAGE);
        List<ChatStore.Message> page = store.before(membership.conversationId(), before, membership.joinedSeq(),
                limit + 1);
        boolean more = page.size() > limit;
        return page(membership, more ? page.subList(1, page.size()) : page, more);
    }

    private ObjectNode page(ChatStore.Membership membership, List<ChatStore.Message> messages, boolean more) {
        ObjectNode answer = ok().put("conversation", membership.conversationId())
                .put("lastSeq", membership.lastSeq()).put("more", more);
        ArrayNode array = answer.putArray("messages");
        messages.forEach(m -> array.add(view(m)));
        return answer;
    }

    private Object ack(HandlerContext ctx) {
        long me = me(ctx);
        RequestBody body = RequestBody.of(ctx);
        ChatStore.Membership membership = memberOf(me, body.text("conversation"));
        long seq = body.requiredSeq("seq");
        if (seq > membership.lastSeq()) {
            throw RequestBody.bad("'seq' is past the conversation's last message " + membership.lastSeq());
        }
        long ackSeq = store.ack(membership.conversationId(), me, seq);
        return ok().put("conversation", membership.conversationId()).put("ackSeq", ackSeq);
    }

    private Object conversations(HandlerContext ctx) {
        RequestBody.of(ctx);   // takes no fields, but garbage is still refused
        ObjectNode answer = ok();
        putConversations(answer, me(ctx));
        return answer;
    }

    /**
     * The user's conversations, newest activity first, at most {@link ChatStore.Limits#maxConversationsListed()};
     * {@code "more": true} when older ones were left out.
     */
    private void putConversations(ObjectNode answer, long userId) {
        List<ChatStore.Membership> memberships = store.memberships(userId);
        int max = store.limits().maxConversationsListed();
        ArrayNode array = answer.putArray("conversations");
        for (ChatStore.Membership m : memberships.subList(0, Math.min(max, memberships.size()))) {
            array.addObject()
                    .put("conversation", m.conversationId())
                    .put("kind", m.kind())
                    .put("name", m.name())
                    .put("lastSeq", m.lastSeq())
                    .put("ackSeq", m.ackSeq())
                    .put("unread", m.lastSeq() - m.ackSeq());
        }
        if (memberships.size() > max) {
            answer.put("more", true);
        }
    }

    // Groups

    private Object createGroup(HandlerContext ctx) {
        long me = me(ctx);
        RequestBody body = RequestBody.of(ctx);
        String name = body.text("name").strip();
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_GROUP_NAME) {
            throw new SwitchboardException(ChatErrors.BAD_GROUP_NAME);
        }
        Set<Long> invited = new LinkedHashSet<>();
        for (String member : body.texts("members", MAX_GROUP_INVITES)) {
            invited.add(accounts.byName(member).id());
        }
        invited.remove(me);
        String id = "g:" + ids.getAsLong();
        store.createGroup(id, name, me, new ArrayList<>(invited), clock.millis());
        if (events != null) {
            events.joined(id, me, null, ChatEvents.Via.CREATE);
            invited.forEach(member -> events.joined(id, member, me, ChatEvents.Via.CREATE));
        }
        String myName = accounts.nameOf(me);
        for (long member : invited) {
            presence.push(List.of(member), null, ChatRoutes.ON_MEMBER,
                    memberEvent(id, name, "invited", accounts.nameOf(member), myName));
        }
        return groupAnswer(store.conversation(id));
    }

    private Object joinGroup(HandlerContext ctx) {
        long me = me(ctx);
        ChatStore.Conversation group = group(RequestBody.of(ctx).text("conversation"));
        store.addMember(group.id(), me, "you are");
        if (events != null) {
            events.joined(group.id(), me, null, ChatEvents.Via.JOIN);
        }
        pushToMembers(group, me, memberEvent(group.id(), group.name(), "joined", accounts.nameOf(me), null));
        return groupAnswer(group);
    }

    private Object invite(HandlerContext ctx) {
        long me = me(ctx);
        RequestBody body = RequestBody.of(ctx);
        ChatStore.Conversation group = group(body.text("conversation"));
        memberOf(me, group.id());
        ChatStore.User invitee = accounts.byName(body.text("user"));
        store.addMember(group.id(), invitee.id(), invitee.name() + " is");
        if (events != null) {
            events.joined(group.id(), invitee.id(), me, ChatEvents.Via.INVITE);
        }
        pushToMembers(group, me, memberEvent(group.id(), group.name(), "invited", invitee.name(),
                accounts.nameOf(me)));
        return groupAnswer(group);
    }

    private Object leaveGroup(HandlerContext ctx) {
        long me = me(ctx);
        ChatStore.Conversation group = group(RequestBody.of(ctx).text("conversation"));
        if (!store.removeMember(group.id(), me)) {
            throw new SwitchboardException(ChatErrors.NOT_A_MEMBER);
        }
        if (events != null) {
            events.left(group.id(), me);
        }
        pushToMembers(group, me, memberEvent(group.id(), group.name(), "left", accounts.nameOf(me), null));
        return ok().put("conversation", group.id());
    }

    private Object members(HandlerContext ctx) {
        long me = me(ctx);
        ChatStore.Membership membership = memberOf(me, RequestBody.of(ctx).text("conversation"));
        List<ChatStore.Member> members = store.members(membership.conversationId());
        List<CompletableFuture<Boolean>> online = members.stream().map(m -> presence.isOnline(m.userId())).toList();
        return CompletableFuture.allOf(online.toArray(CompletableFuture[]::new)).thenApply(v -> {
            ObjectNode answer = ok().put("conversation", membership.conversationId());
            ArrayNode array = answer.putArray("members");
            for (int i = 0; i < members.size(); i++) {
                array.addObject().put("name", members.get(i).name()).put("online", online.get(i).join());
            }
            return answer;
        });
    }

    private Object groups(HandlerContext ctx) {
        long me = me(ctx);
        int limit = RequestBody.of(ctx).limit("limit", DEFAULT_PAGE, MAX_PAGE);
        ObjectNode answer = ok();
        ArrayNode array = answer.putArray("groups");
        for (ChatStore.Group group : store.groups(me, limit)) {
            array.addObject().put("conversation", group.id()).put("name", group.name())
                    .put("members", group.members()).put("member", group.member());
        }
        return answer;
    }

    private ObjectNode groupAnswer(ChatStore.Conversation group) {
        ObjectNode answer = ok().put("conversation", group.id()).put("name", group.name());
        ArrayNode array = answer.putArray("members");
        store.members(group.id()).forEach(m -> array.add(m.name()));
        return answer;
    }

    private void pushToMembers(ChatStore.Conversation group, long except, ObjectNode event) {
        List<Long> members = store.members(group.id()).stream().map(ChatStore.Member::userId).toList();
        presence.push(members, except, ChatRoutes.ON_MEMBER, event);
    }

    private static ObjectNode memberEvent(String conversation, String groupName, String event, String user,
                                          String by) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("conversation", conversation)
                .put("name", groupName).put("event", event).put("user", user);
        if (by != null) {
            node.put("by", by);
        }
        return node;
    }

    // Shared checks

    private static long me(HandlerContext ctx) {
        Long userId = userIdOf(ctx.session());
        if (userId == null) {
            throw new SwitchboardException(ChatErrors.NOT_LOGGED_IN);
        }
        return userId;
    }

    private ChatStore.Membership memberOf(long userId, String conversationId) {
        ChatStore.Membership membership = store.membership(conversationId, userId);
        if (membership != null) {
            return membership;
        }
        if (store.conversation(conversationId) == null) {
            throw new SwitchboardException(ChatErrors.NO_SUCH_CONVERSATION,
                    "no such conversation: " + Accounts.clip(conversationId));
        }
        throw new SwitchboardException(ChatErrors.NOT_A_MEMBER);
    }

    private ChatStore.Conversation group(String conversationId) {
        ChatStore.Conversation conversation = store.conversation(conversationId);
        if (conversation == null) {
            throw new SwitchboardException(ChatErrors.NO_SUCH_CONVERSATION,
                    "no such conversation: " + Accounts.clip(conversationId));
        }
        if (!ChatStore.GROUP.equals(conversation.kind())) {
            throw new SwitchboardException(ChatErrors.NOT_A_GROUP);
        }
        return conversation;
    }

    static String directId(long a, long b) {
        return "d:" + Math.min(a, b) + ":" + Math.max(a, b);
    }

    static ObjectNode view(ChatStore.Message m) {
        // Snowflake ids exceed JavaScript's exact integers (2^53), so they travel as strings.
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("id", String.valueOf(m.id()))
                .put("conversation", m.conversationId())
                .put("seq", m.seq())
                .put("from", m.senderName())
                .put("fromId", String.valueOf(m.senderId()))
                .put("text", m.text())
                .put("ts", m.createdAt());
        if (m.clientId() != null) {
            node.put("clientId", m.clientId());
        }
        return node;
    }

    private static ObjectNode ok() {
        return Json.MAPPER.createObjectNode().put("code", 200);
    }
}
