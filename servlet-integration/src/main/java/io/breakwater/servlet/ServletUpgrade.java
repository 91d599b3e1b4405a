package io.breakwater.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The portable mechanism: {@link HttpServletRequest#upgrade} with a {@link BreakwaterUpgradeHandler}. */
final class ServletUpgrade implements UpgradeMechanism {

    @Override
    public boolean upgrade(HttpServletRequest request, HttpServletResponse response, SessionOpening opening)
            throws IOException, ServletException {
        BreakwaterUpgradeHandler handler = request.upgrade(BreakwaterUpgradeHandler.class);
        handler.prepare(opening, UpgradedAddresses.of(request));
        return true;
    }
}
