package dev.mos.store.memory;

import dev.mos.model.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The retained events of one session: a ring that grows up to its capacity and then overwrites the oldest.
 * Sequences are contiguous, so an event is found by arithmetic. Not thread-safe: guarded by its session.
 */
final class EventRing {

    private final int capacity;
    private Event[] slots;
    private int head;
    private int size;

    EventRing(int capacity) {
        this.capacity = capacity;
        this.slots = new Event[Math.min(capacity, 16)];
    }

    /** Adds an event; returns the one it pushed out, or null. */
    Event add(Event event) {
        if (size < slots.length) {
            slots[(head + size) % slots.length] = event;
            size++;
            return null;
        }
        if (slots.length < capacity) {
            grow();
            slots[size++] = event;
            return null;
        }
        Event dropped = slots[head];
        slots[head] = event;
        head = (head + 1) % slots.length;
        return dropped;
    }

    private void grow() {
        Event[] bigger = new Event[(int) Math.min(capacity, (long) slots.length * 2)];
        for (int i = 0; i < size; i++) {
            bigger[i] = slots[(head + i) % slots.length];
        }
        slots = bigger;
        head = 0;
    }

    int size() {
        return size;
    }

    Event get(int index) {
        return slots[(head + index) % slots.length];
    }

    long firstSequence() {
        return size == 0 ? 0 : get(0).sequence();
    }

    List<Event> copy(int from, int to) {
        List<Event> out = new ArrayList<>(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            out.add(get(i));
        }
        return out;
    }
}
