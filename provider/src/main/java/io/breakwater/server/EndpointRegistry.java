package io.breakwater.server;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The server endpoints of one application by path, and the lookup of the endpoint for an opening
 * handshake request (Jakarta WebSocket 3.1.1).
 *
 * <p>Registration rejects a path equivalent to one already held (WSC-3.1.1-2, WSC-4.1.1-4): the same
 * literals, and variables in the same places whatever their names, so {@code /a/{x}} and
 * {@code /a/{y}} clash while {@code /a/b} and {@code /a/{x}} do not.
 *
 * <p>Lookup follows the precedence of 3.1.1: only paths with as many segments as the request can
 * match; going from the left, a literal segment equal to the request's segment is preferred over a
 * variable segment. The registry keeps the paths in a tree of segments, so a lookup decodes the
 * request once and walks the tree, literal child first, without any regular expression. Where the
 * specification's left-to-right elimination would end with no path although the request is a valid
 * expansion of some path (templates {@code /a/b/c} and {@code /{x}/b/d} against {@code /a/b/d}),
 * the walk backs up and returns that path; whenever the elimination finds a path, the walk finds the
 * same one.
 *
 * <p>Thread safety: lookups are lock-free and may run while endpoints are being registered (endpoints
 * can be added at run time, 6.4); each registration publishes a new immutable tree.
 */
public final class EndpointRegistry {

    /**
     * The endpoint found for a request.
     *
     * @param config the endpoint's configuration
     * @param template its parsed path
     * @param pathParameters the values of the path's variables by name, percent-decoded, in path
     *     order; empty for a literal path
     */
    public record Match(ServerEndpointConfig config, UriTemplate template, Map<String, String> pathParameters) {
    }

    /** One registered endpoint. */
    private record Entry(ServerEndpointConfig config, UriTemplate template) {
    }

    /**
     * One node of the segment tree: the path prefix that leads to it is a sequence of literals and
     * variables. Immutable; registration copies the nodes along the new path.
     */
    private static final class Node {
        static final Node EMPTY = new Node(Map.of(), null, null);

        final Map<String, Node> literals;
        final Node variable;
        final Entry terminal;

        Node(Map<String, Node> literals, Node variable, Entry terminal) {
            this.literals = literals;
            this.variable = variable;
            this.terminal = terminal;
        }
    }

    /** Everything a lookup reads, published at once. */
    private record State(Node root, List<Entry> entries, int maxSegments) {
    }

    private volatile State state = new State(Node.EMPTY, List.of(), 0);

    /** Creates an empty registry. */
    public EndpointRegistry() {
    }

    /**
     * Adds an endpoint under {@link ServerEndpointConfig#getPath()}.
     *
     * @return the parsed path
     * @throws DeploymentException if the path is malformed, or equivalent to the path of an endpoint
     *     already registered (the message names both endpoint classes and both paths)
     */
    public UriTemplate register(ServerEndpointConfig config) throws DeploymentException {
        Objects.requireNonNull(config, "config");
        UriTemplate template = UriTemplate.parse(config.getPath());
        synchronized (this) {
            State current = state;
            Entry entry = new Entry(config, template);
            Node root = insert(current.root, template.segments(), 0, entry);
            List<Entry> entries = new ArrayList<>(current.entries.size() + 1);
            entries.addAll(current.entries);
            entries.add(entry);
            state = new State(root, List.copyOf(entries),
                    Math.max(current.maxSegments, template.segments().size()));
        }
        return template;
    }

    /**
     * The endpoint for the path of an opening handshake request.
     *
     * @param requestPath the request path relative to the WebSocket root (6.4), starting with
     *     {@code '/'}, still percent-encoded, with or without its query string
     * @return the endpoint and its path parameters; empty when no endpoint path matches, when the
     *     path does not start with {@code '/'} or when it holds a malformed percent-encoding
     */
    public Optional<Match> find(String requestPath) {
        State current = state;
        String[] segments = RequestPath.segments(requestPath);
        if (segments == null || segments.length > current.maxSegments) {
            return Optional.empty();
        }
        Entry entry = search(current.root, segments, 0);
        if (entry == null) {
            return Optional.empty();
        }
        return Optional.of(new Match(entry.config, entry.template, entry.template.parameters(segments)));
    }

    /** The registered configurations, in registration order. */
    public List<ServerEndpointConfig> configs() {
        List<Entry> entries = state.entries;
        List<ServerEndpointConfig> configs = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            configs.add(entry.config);
        }
        return List.copyOf(configs);
    }

    /** The number of registered endpoints. */
    public int size() {
        return state.entries.size();
    }

    /** Whether no endpoint is registered. */
    public boolean isEmpty() {
        return size() == 0;
    }

    // ---- the tree ------------------------------------------------------------------------------

    /**
     * Depth-first, literal child before variable child: the first complete path found is the one
     * that, read from the left, has a literal wherever any matching path has one (3.1.1). Each node
     * is visited at most once, and the depth is bounded by the longest registered path.
     */
    private static Entry search(Node node, String[] segments, int index) {
        if (index == segments.length) {
            return node.terminal;
        }
        String segment = segments[index];
        Node literal = node.literals.get(segment);
        if (literal != null) {
            Entry found = search(literal, segments, index + 1);
            if (found != null) {
                return found;
            }
        }
        // An empty segment is not a valid level-1 expansion, so a variable never matches it.
        if (node.variable != null && !segment.isEmpty()) {
            return search(node.variable, segments, index + 1);
        }
        return null;
    }

    /** A copy of {@code node} with {@code entry} added below it; {@code node} is not changed. */
    private static Node insert(Node node, List<UriTemplate.Segment> segments, int index, Entry entry)
            throws DeploymentException {
        if (index == segments.size()) {
            if (node.terminal != null) {
                throw duplicate(node.terminal, entry);
            }
            return new Node(node.literals, node.variable, entry);
        }
        UriTemplate.Segment segment = segments.get(index);
        if (segment instanceof UriTemplate.Literal literal) {
            Node child = node.literals.getOrDefault(literal.value(), Node.EMPTY);
            Map<String, Node> literals = new HashMap<>(node.literals);
            literals.put(literal.value(), insert(child, segments, index + 1, entry));
            return new Node(Map.copyOf(literals), node.variable, node.terminal);
        }
        Node child = node.variable == null ? Node.EMPTY : node.variable;
        return new Node(node.literals, insert(child, segments, index + 1, entry), node.terminal);
    }

    private static DeploymentException duplicate(Entry existing, Entry added) {
        String kind = existing.template.path().equals(added.template.path()) ? "the same path as" : "a path equivalent to";
        return new DeploymentException("Cannot deploy endpoint " + added.config.getEndpointClass().getName()
                + " at \"" + added.template.path() + "\": it has " + kind + " \"" + existing.template.path()
                + "\" of endpoint " + existing.config.getEndpointClass().getName()
                + "; an application must not hold equivalent endpoint paths (Jakarta WebSocket 3.1.1, 4.1.1)");
    }
}
