package io.breakwater.conformance.run;

/**
 * How a connection ended, in the terms of Autobahn's closing behaviour table.
 *
 * @param closeSent whether we sent a Close frame
 * @param closeSentCode the code of our first Close frame ({@link CloseCodes#NO_STATUS} for none)
 * @param closeReceived whether the peer sent a valid Close frame
 * @param peerClosedFirst whether the peer's Close came before ours
 * @param peerCloseCode the peer's code, {@link CloseCodes#NO_STATUS} for an empty Close, -1 for none
 * @param peerCloseReason the peer's reason, or null
 * @param tcpEnded whether TCP has ended
 * @param droppedByMe whether we ended TCP (rather than the peer)
 * @param peerViolation what the peer did against RFC 6455, or null
 * @param eventsBeforePeerClose how many of the peer's messages and pongs had arrived when its Close frame
 *        did, -1 when it sent none: where the Close stands in the peer's sequence of events
 */
public record CloseState(boolean closeSent, Integer closeSentCode, boolean closeReceived, boolean peerClosedFirst,
                         int peerCloseCode, String peerCloseReason, boolean tcpEnded, boolean droppedByMe,
                         String peerViolation, int eventsBeforePeerClose) {
}
