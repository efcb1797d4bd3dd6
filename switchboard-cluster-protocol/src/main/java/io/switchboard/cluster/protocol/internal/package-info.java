/** Implementation details of the cluster codecs; not API, may change without notice. */
package io.switchboard.cluster.protocol.internal;
