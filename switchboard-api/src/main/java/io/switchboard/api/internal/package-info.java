/** How the API's registration reads annotated handler classes. */
package io.switchboard.api.internal;
