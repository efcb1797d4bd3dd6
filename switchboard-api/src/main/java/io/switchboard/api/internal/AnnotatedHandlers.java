package io.switchboard.api.internal;

import io.switchboard.api.Session;
import io.switchboard.api.Handler;
import io.switchboard.api.HandlerContext;
import io.switchboard.api.HandlerTable;
import io.switchboard.api.NotifyHandler;
import io.switchboard.api.RequestHandler;
import io.switchboard.api.Route;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Turns the {@link Route} methods of a {@link Handler} class into handler entries. */
public final class AnnotatedHandlers {
    private AnnotatedHandlers() {
    }

    public static List<HandlerTable.Entry> scan(Object target) {
        Handler handler = target.getClass().getAnnotation(Handler.class);
        if (handler == null) {
            throw new IllegalArgumentException(target.getClass().getName() + " is not annotated with @Handler");
        }
        List<HandlerTable.Entry> entries = new ArrayList<>();
        for (Method method : target.getClass().getMethods()) {
            Route route = method.getAnnotation(Route.class);
            if (route == null || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String name = handler.value() + "." + (route.value().isEmpty() ? method.getName() : route.value());
            Invoker invoker = new Invoker(target, method);
            if (method.getReturnType() == void.class) {
                NotifyHandler notify = invoker::invoke;
                entries.add(new HandlerTable.Entry(name, null, notify, route.nonBlocking()));
            } else {
                RequestHandler request = invoker::invoke;
                entries.add(new HandlerTable.Entry(name, request, null, route.nonBlocking()));
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(target.getClass().getName() + " has no public @Route methods");
        }
        return entries;
    }

    /** Calls one method, binding its parameters from the context. */
    private static final class Invoker {
        private final MethodHandle handle;
        private final List<Function<HandlerContext, Object>> arguments = new ArrayList<>();
        private final Method method;

        Invoker(Object target, Method method) {
            this.method = method;
            try {
                method.setAccessible(true);
                // Spread once here: invokeWithArguments would build the adapter again on every call.
                this.handle = MethodHandles.lookup().unreflect(method).bindTo(target)
                        .asSpreader(Object[].class, method.getParameterCount());
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException("cannot call " + method, e);
            }
            boolean hasBody = false;
            Type[] types = method.getGenericParameterTypes();
            for (int i = 0; i < types.length; i++) {
                Class<?> raw = method.getParameterTypes()[i];
                if (raw == Session.class) {
                    arguments.add(HandlerContext::session);
                } else if (raw == HandlerContext.class) {
                    arguments.add(ctx -> ctx);
                } else if (!hasBody) {
                    hasBody = true;
                    Type bodyType = types[i];
                    arguments.add(ctx -> ctx.body(bodyType));
                } else {
                    throw new IllegalArgumentException(method + " has more than one body parameter");
                }
            }
        }

        Object invoke(HandlerContext ctx) throws Exception {
            Object[] args = new Object[arguments.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = arguments.get(i).apply(ctx);
            }
            try {
                return handle.invoke(args);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new InvocationTargetException(t, "handler " + method + " failed");
            }
        }
    }
}
