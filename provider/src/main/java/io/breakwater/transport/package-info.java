/**
 * The byte streams under WebSocket connections: the {@link io.breakwater.transport.Transport} contract the
 * session layer is written against, and its NIO implementation for the client and test servers.
 *
 * <p>{@link io.breakwater.transport.SelectorLoop} is one thread running a selector for many connections;
 * {@link io.breakwater.transport.NioTransport} is one connection on it, plain or TLS, made by
 * {@link io.breakwater.transport.NioTransport#connect} or accepted by a
 * {@link io.breakwater.transport.NioServer}. Handlers and write completions run on the loop's thread and
 * must be quick; application code never runs there.
 */
package io.breakwater.transport;
