package io.breakwater.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The upgrade on Tomcat 10.1 and 11, through Tomcat's internal upgrade interface: {@link HttpServletRequest#upgrade}
 * with a handler that implements it ({@link TomcatTunnel}) makes Tomcat hand the handler its socket and deliver
 * the socket's events to it, where the portable handler ({@link BreakwaterUpgradeHandler}) would get the servlet
 * streams.
 *
 * <p>Why not the portable mechanism: its streams go through a processor that buffers and copies each way, ends
 * TCP only within Tomcat's own threads (Breakwater reached Tomcat's socket by reflection for that,
 * {@link TomcatSocket}), and keeps delivering read events while reading is suspended.
 *
 * <p>Loaded by name only when Tomcat's classes are visible ({@link UpgradeMechanism#forContext}).
 */
final class TomcatUpgrade implements UpgradeMechanism {

    TomcatUpgrade() {
    }

    @Override
    public boolean upgrade(HttpServletRequest request, HttpServletResponse response, SessionOpening opening)
            throws IOException, ServletException {
        TomcatTunnel tunnel = request.upgrade(TomcatTunnel.class);
        tunnel.prepare(opening, UpgradedAddresses.of(request));
        return true;
    }
}
