package dev.mos.http;

import dev.mos.audit.Actor;
import dev.mos.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;

/** Who sent a request, as the audit log names them: the authenticated token's name and the remote address. */
public final class RequestActor {

    private RequestActor() {
    }

    public static Actor of(HttpServletRequest request) {
        return request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller
                ? Actor.token(caller.name(), request.getRemoteAddr())
                : Actor.anonymous(request.getRemoteAddr());
    }
}
