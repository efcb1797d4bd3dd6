/**
 * The error-code plan (DESIGN §6, seed 000): every error a client or peer can see is a uint32
 * {@code 1_000_000_000 + module × 1_000_000 + n}. {@link io.switchboard.common.error.ErrorModule} lists the
 * module numbers; each module keeps its own table of codes beside its code (for example {@code GateErrors}).
 */
package io.switchboard.common.error;
