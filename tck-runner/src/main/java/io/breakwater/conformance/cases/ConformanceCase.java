package io.breakwater.conformance.cases;

/**
 * One case, the same in both roles: what the fuzzer sends, what it expects back, how the connection
 * should end.
 *
 * @param id Autobahn-style number, e.g. {@code 7.9.8}
 * @param description what the fuzzer does
 * @param expectation what the peer should do, in words
 * @param deflate permessage-deflate parameters, or null for a case without extensions
 */
public record ConformanceCase(String id, String description, String expectation, Script script,
                              Expected expected, Closing closing, DeflateSetup deflate) {

    /** The group: {@code 7} for {@code 7.9.8}. */
    public String group() {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }
}
