package io.breakwater.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;

/** The portable mechanism: {@link HttpServletRequest#upgrade} with a {@link BreakwaterUpgradeHandler}. */
final class ServletUpgrade implements UpgradeMechanism {

    @Override
    public boolean upgrade(HttpServletRequest request, HttpServletResponse response, SessionOpening opening)
            throws IOException, ServletException {
        BreakwaterUpgradeHandler handler = request.upgrade(BreakwaterUpgradeHandler.class);
        handler.prepare(opening,
                new InetSocketAddress(request.getLocalAddr(), request.getLocalPort()),
                new InetSocketAddress(request.getRemoteAddr(), request.getRemotePort()), request.isSecure());
        return true;
    }
}
