package io.breakwater.protocol;

/** Which end of the connection we are; it decides who masks (RFC 6455 §5.1) and who closes TCP first (§7.1.1). */
public enum Role {
    SERVER,
    CLIENT
}
