package dev.mos.health;

import java.util.concurrent.atomic.AtomicReference;

/** Where the server is in its life: only SERVING answers readiness with 200. */
public final class Lifecycle {

    public enum State { STARTING, SERVING, DRAINING, STOPPED }

    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);

    public State state() {
        return state.get();
    }

    public void serving() {
        state.set(State.SERVING);
    }

    public void draining() {
        state.set(State.DRAINING);
    }

    public void stopped() {
        state.set(State.STOPPED);
    }

    public boolean isServing() {
        return state.get() == State.SERVING;
    }
}
