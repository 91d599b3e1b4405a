package io.breakwater.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Where an upgraded connection runs, as its handshake request says: the transport's addresses and
 * {@code isSecure}. The handlers that {@link HttpServletRequest#upgrade} instantiates never see the
 * request, so the mechanism hands them this.
 */
record UpgradedAddresses(SocketAddress local, SocketAddress remote, boolean secure) {

    static UpgradedAddresses of(HttpServletRequest request) {
        return new UpgradedAddresses(
                new InetSocketAddress(request.getLocalAddr(), request.getLocalPort()),
                new InetSocketAddress(request.getRemoteAddr(), request.getRemotePort()),
                request.isSecure());
    }
}
