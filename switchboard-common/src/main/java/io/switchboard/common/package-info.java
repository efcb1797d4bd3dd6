/** Plain building blocks that every Switchboard layer shares; no networking here. */
package io.switchboard.common;
