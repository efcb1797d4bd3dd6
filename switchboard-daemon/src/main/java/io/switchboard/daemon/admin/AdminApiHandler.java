package io.switchboard.daemon.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.switchboard.common.text.LogText;
import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.command.CommandSyntaxException;
import io.switchboard.globaldb.GlobalDbException;
import io.switchboard.globaldb.Permission;
import io.switchboard.globaldb.Role;
import io.switchboard.globaldb.World;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

/**
 * One connection of the admin port: the console's files, and the API — {@code POST /api/login}, {@code /api/logout},
 * {@code GET /api/me}, {@code POST /api/command}, {@code GET /api/watch} (Server-Sent Events), {@code GET /api/log}.
 * Everything but the files and the login needs a valid token; a refusal is JSON with a status (401 login, 403 role or
 * origin, 429 throttled). Work that blocks (globaldb, password hashing, the machine) runs on the API's workers.
 */
final class AdminApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminApiHandler.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_USER = 64;
    private static final int MAX_PASSWORD = 256;
    static final int DEFAULT_LOG_LINES = 200;
    static final int MAX_LOG_LINES = 2_000;

    private final AdminApi api;
    private final boolean overTls;

    /** @param overTls whether the connection is HTTPS: then the session cookie is {@code Secure} */
    AdminApiHandler(AdminApi api, boolean overTls) {
        this.api = api;
        this.overTls = overTls;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (api.watches().isStream(ctx.channel())) {
            // A request pipelined behind a watch: its answer cannot be written into the open event stream, so the
            // stream ends (one watch per connection; the cap on streams counts connections).
            log.debug("admin API: a request on a watch stream from {}; closing it", address(ctx));
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        String refused = api.guard().checkOrigin(request);
        if (refused != null) {
            refuse(ctx, keepAlive, HttpResponseStatus.FORBIDDEN, refused);
            return;
        }
        HttpMethod method = request.method();
        if (!path.startsWith("/api/")) {
            Optional<FullHttpResponse> asset = HttpMethod.GET.equals(method) ? api.assets().serve(path)
                    : Optional.empty();
            if (asset.isPresent()) {
                ApiReplies.send(ctx, keepAlive, asset.get());
            } else {
                refuse(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "no such path: " + path);
            }
            return;
        }
        String route = method.name() + " " + path;
        if (route.equals("POST /api/login")) {
            login(ctx, keepAlive, request);
            return;
        }
        if (!List.of("POST /api/logout", "GET /api/me", "POST /api/command", "GET /api/watch", "GET /api/log")
                .contains(route)) {
            refuse(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "no such API call: " + route);
            return;
        }
        RequestGuard.Credential credential = RequestGuard.credential(request);
        Optional<LoginSessions.LoginSession> session = credential == null ? Optional.empty()
                : api.sessions().find(credential.token());
        if (session.isEmpty()) {
            refuse(ctx, keepAlive, HttpResponseStatus.UNAUTHORIZED, "log in first (POST /api/login)");
            return;
        }
        api.caps().authenticated(ctx.channel());
        if (HttpMethod.POST.equals(method)) {
            refused = api.guard().checkWrite(request, credential);
            if (refused != null) {
                refuse(ctx, keepAlive, HttpResponseStatus.FORBIDDEN, refused);
                return;
            }
        }
        Caller caller = session.get().caller();
        switch (route) {
            case "POST /api/logout" -> logout(ctx, keepAlive, credential.token());
            case "GET /api/me" -> ApiReplies.send(ctx, keepAlive, ApiReplies.json(HttpResponseStatus.OK,
                    ApiReplies.JSON.createObjectNode().put("user", caller.user())
                            .put("role", caller.role().wireName()).put("ip", api.executor().localIp())));
            case "POST /api/command" -> command(ctx, keepAlive, caller, request);
            case "GET /api/watch" -> watch(ctx, caller, credential.token());
            default -> logTail(ctx, keepAlive, caller, query);
        }
    }

    private void login(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest request) {
        JsonNode body = body(request);
        String user = body == null ? null : body.path("user").textValue();
        String password = body == null ? null : body.path("password").textValue();
        if (user == null || password == null || user.isEmpty() || user.length() > MAX_USER
                || password.length() > MAX_PASSWORD) {
            refuse(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, "a login is {\"user\": NAME, \"password\": "
                    + "PASSWORD} (name at most " + MAX_USER + " characters, password at most " + MAX_PASSWORD + ")");
            return;
        }
        String address = address(ctx);
        if (throttled(ctx, keepAlive, address, user)) {
            return;
        }
        // Hashing the password takes a while: meanwhile strangers filling the port must not close this connection.
        Runnable checked = api.caps().checking(ctx.channel());
        boolean accepted = work(ctx, keepAlive, () -> {
            try {
                checkLogin(ctx, keepAlive, address, user, password);
            } finally {
                checked.run();
            }
        });
        if (!accepted) {
            checked.run();
        }
    }

    private void checkLogin(ChannelHandlerContext ctx, boolean keepAlive, String address, String user,
                            String password) {
        if (throttled(ctx, keepAlive, address, user)) {
            return;
        }
        Optional<Role> role = api.globalDb().authenticate(user, password.toCharArray());
        if (role.isEmpty()) {
            api.throttle().failed(address, user);
            CommandExecutor.AUDIT.warn("login refused: user={} from {}", LogText.printable(user), address);
            // The same answer for an unknown user and a wrong password: names are not given away.
            refuse(ctx, keepAlive, HttpResponseStatus.UNAUTHORIZED, "wrong user or password");
            return;
        }
        api.throttle().succeeded(user);
        api.caps().authenticated(ctx.channel());
        LoginSessions.Opened opened = api.sessions().open(user, role.get());
        CommandExecutor.AUDIT.info("login: user={} role={} from {}", user, role.get().wireName(), address);
        FullHttpResponse response = ApiReplies.json(HttpResponseStatus.OK, ApiReplies.JSON.createObjectNode()
                .put("token", opened.token()).put("user", user).put("role", role.get().wireName())
                .put("expiresInSeconds", api.sessions().ttl().toSeconds()));
        response.headers().set(HttpHeaderNames.SET_COOKIE, cookie(opened.token(), api.sessions().ttl()));
        ApiReplies.send(ctx, keepAlive, response);
    }

    private boolean throttled(ChannelHandlerContext ctx, boolean keepAlive, String address, String user) {
        Duration wait = api.throttle().waitFor(address, user);
        if (wait.isZero()) {
            return false;
        }
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        FullHttpResponse response = ApiReplies.json(HttpResponseStatus.TOO_MANY_REQUESTS,
                ApiReplies.error("too many failed logins: retry in " + seconds + " s").put("retryAfterSeconds", seconds));
        response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds));
        ApiReplies.send(ctx, keepAlive, response);
        return true;
    }

    private void logout(ChannelHandlerContext ctx, boolean keepAlive, String token) {
        api.sessions().close(token);
        FullHttpResponse response = ApiReplies.json(HttpResponseStatus.OK, ApiReplies.JSON.createObjectNode()
                .put("loggedOut", true));
        response.headers().set(HttpHeaderNames.SET_COOKIE, cookie("", Duration.ZERO));
        ApiReplies.send(ctx, keepAlive, response);
    }

    private void command(ChannelHandlerContext ctx, boolean keepAlive, Caller caller, FullHttpRequest request) {
        JsonNode body = body(request);
        String line = body == null ? null : body.path("line").textValue();
        AdminCommand command;
        try {
            command = AdminCommand.parse(line);
        } catch (CommandSyntaxException e) {
            reply(ctx, keepAlive, CommandResult.failed(CommandResult.Outcome.BAD_COMMAND, e.getMessage()));
            return;
        }
        work(ctx, keepAlive, () -> api.executor().execute(caller, command)
                .thenAccept(result -> reply(ctx, keepAlive, result)));
    }

    private void watch(ChannelHandlerContext ctx, Caller caller, String token) {
        if (!caller.role().allows(Permission.WATCH)) {
            refuse(ctx, false, HttpResponseStatus.FORBIDDEN, "the role " + caller.role().wireName()
                    + " may not watch");
            return;
        }
        if (!api.watches().open(ctx.channel(), token)) {
            refuse(ctx, false, HttpResponseStatus.TOO_MANY_REQUESTS, "too many watchers: retry later");
            return;
        }
        try {
            api.workers().execute(() -> api.watches().sendTo(ctx.channel()));
        } catch (RejectedExecutionException e) {
            // The stream's head is out: no refusal can follow it, so the stream just ends.
            ctx.close();
        }
    }

    private void logTail(ChannelHandlerContext ctx, boolean keepAlive, Caller caller, QueryStringDecoder query) {
        if (!caller.role().allows(Permission.LIST)) {
            refuse(ctx, keepAlive, HttpResponseStatus.FORBIDDEN, "the role " + caller.role().wireName()
                    + " may not read logs");
            return;
        }
        String ip = param(query, "ip");
        String name = param(query, "name");
        int lines;
        try {
            String given = param(query, "lines");
            lines = given == null ? DEFAULT_LOG_LINES : Integer.parseInt(given);
        } catch (NumberFormatException e) {
            lines = -1;
        }
        if (ip == null || name == null || !NAME.matcher(name).matches() || lines < 1 || lines > MAX_LOG_LINES) {
            refuse(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, "usage: /api/log?ip=IP&name=NAME&lines=1.."
                    + MAX_LOG_LINES);
            return;
        }
        int maxLines = lines;
        work(ctx, keepAlive, () -> {
            World world = api.globalDb().world();
            Optional<World.Machine> machine = world.machine(ip);
            if (machine.isEmpty()) {
                refuse(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, ip + " is not a machine of the world");
            } else if (!ip.equals(api.executor().localIp())) {
                refuse(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "the logs of " + ip
                        + " are only on that machine's console (" + (overTls ? "https" : "http") + "://" + ip + ":"
                        + AdminApiConfig.DEFAULT_PORT + "/)");
            } else if (machine.get().process(name).isEmpty()) {
                refuse(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "no process " + name + " on " + ip);
            } else {
                var body = ApiReplies.JSON.createObjectNode().put("ip", ip).put("name", name);
                var array = body.putArray("lines");
                api.machine().logTail(name, maxLines).forEach(array::add);
                ApiReplies.send(ctx, keepAlive, ApiReplies.json(HttpResponseStatus.OK, body));
            }
        });
    }

    /** Runs blocking work on the API's workers; a full queue is a 503, a globaldb failure a 503 with its reason. */
    /** Runs {@code task} on the workers; false when they refused it (busy), which was answered 503. */
    private boolean work(ChannelHandlerContext ctx, boolean keepAlive, Runnable task) {
        try {
            api.workers().execute(() -> {
                try {
                    task.run();
                } catch (GlobalDbException e) {
                    refuse(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
                } catch (RuntimeException e) {
                    log.warn("admin API call failed", e);
                    refuse(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            refuse(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, "the daemon is busy: retry later");
            return false;
        }
    }

    private static void reply(ChannelHandlerContext ctx, boolean keepAlive, CommandResult result) {
        ApiReplies.send(ctx, keepAlive, ApiReplies.json(ApiReplies.status(result), ApiReplies.result(result)));
    }

    private static void refuse(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                               String message) {
        ApiReplies.send(ctx, keepAlive, ApiReplies.json(status, ApiReplies.error(message)));
    }

    private static JsonNode body(FullHttpRequest request) {
        try {
            JsonNode node = ApiReplies.JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String param(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.size() != 1 ? null : values.get(0);
    }

    private static String address(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress remote
                ? remote.getAddress().getHostAddress() : "unknown";
    }

    private String cookie(String token, Duration ttl) {
        DefaultCookie cookie = new DefaultCookie(RequestGuard.COOKIE, token);
        cookie.setHttpOnly(true);
        // Cookies ignore ports: without Secure, a browser would send this one to any plain-HTTP port of the host.
        cookie.setSecure(overTls);
        cookie.setSameSite(CookieHeaderNames.SameSite.Strict);
        cookie.setPath("/");
        cookie.setMaxAge(ttl.toSeconds());
        return ServerCookieEncoder.STRICT.encode(cookie);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin API connection error", cause);
        ctx.close();
    }
}
