package io.switchboard.chat;

import java.util.List;

/** The routes the chat application serves and the routes it pushes on. */
public final class ChatRoutes {
    public static final String REGISTER = "chat.auth.register";
    public static final String LOGIN = "chat.auth.login";
    /** Logs in with a token on a connection whose handshake carried none (or a refused one). */
    public static final String RESUME = "chat.auth.resume";
    public static final String LOGOUT = "chat.auth.logout";

    public static final String SEND = "chat.message.send";
    public static final String PULL = "chat.message.pull";
    public static final String HISTORY = "chat.message.history";
    public static final String ACK = "chat.message.ack";

    public static final String CONVERSATIONS = "chat.conversation.list";

    public static final String GROUP_CREATE = "chat.group.create";
    public static final String GROUP_JOIN = "chat.group.join";
    public static final String GROUP_INVITE = "chat.group.invite";
    public static final String GROUP_LEAVE = "chat.group.leave";
    public static final String GROUP_MEMBERS = "chat.group.members";
    public static final String GROUP_LIST = "chat.group.list";

    /** Pushed to each online member of a conversation when a message is stored in it. */
    public static final String ON_MESSAGE = "onChatMessage";
    /** Pushed to the online members of a group (and to an invitee) when its membership changes. */
    public static final String ON_MEMBER = "onChatMember";

    /** Routes that work without a logged-in session. */
    public static final List<String> PUBLIC = List.of(REGISTER, LOGIN, RESUME);

    public static final List<String> PUSHES = List.of(ON_MESSAGE, ON_MEMBER);

    private ChatRoutes() {
    }
}
