package io.switchboard.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose {@link Route} methods handle routes {@code <value>.<method route>}; the value is
 * {@code service.handler}, for example {@code @Handler("demo.echo")} with {@code @Route("say")} serves
 * {@code demo.echo.say}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Handler {
    String value();
}
