/** What the framework's parts implement for one another; handler code does not need it. */
package io.switchboard.api.spi;
