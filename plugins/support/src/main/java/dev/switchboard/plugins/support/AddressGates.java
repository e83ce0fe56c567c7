package dev.switchboard.plugins.support;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the exchanges in flight per remote address: a call takes one of the address's slots before it is sent,
 * or waits in the address's first-in-first-out line until a slot is given back. An address with nothing in flight
 * and nobody waiting has no entry, so the map holds only the addresses being reached. Thread-safe: every change of
 * an address's state runs in {@link ConcurrentHashMap#compute}, so it is atomic with dropping the entry.
 *
 * @param <W> the waiting calls
 */
final class AddressGates<W extends AddressGates.Waiter> {
    /** A call that may wait for a slot. */
    interface Waiter {
        /**
         * Takes the slot offered (called at most once, inside the address's update; must not block).
         *
         * @return false when the call was abandoned, so it must not be sent and the slot goes to the next one
         */
        boolean claim();
    }

    private final int maxInFlight;
    private final Map<String, Gate<W>> gates = new ConcurrentHashMap<>();

    AddressGates(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    /**
     * Gives a call a slot of its address if one is free (claiming it), or puts it at the end of the line.
     *
     * @return true when the call claimed a slot: the caller sends it, and gives the slot back when it ends
     */
    boolean enter(String address, W call) {
        boolean[] admitted = {false};
        gates.compute(address, (key, gate) -> {
            Gate<W> current = gate == null ? new Gate<>() : gate;
            if (current.inFlight < maxInFlight) {
                // An abandoned call takes nothing (it gave up before it got here).
                if (call.claim()) {
                    current.inFlight++;
                    admitted[0] = true;
                }
            } else {
                // A call abandoned before it got here is let in line too: the next slot given back skips it.
                current.waiting.add(call);
            }
            return current.isIdle() ? null : current;
        });
        return admitted[0];
    }

    /** Takes an abandoned call out of its address's line (nothing happens if it is not in it). */
    void leave(String address, W call) {
        gates.computeIfPresent(address, (key, gate) -> {
            gate.waiting.remove(call);
            return gate.isIdle() ? null : gate;
        });
    }

    /**
     * Gives back a slot: it passes to the first waiting call that claims it, else the address has one more free.
     *
     * @return the call that now holds the slot (the caller sends it), or null
     */
    W release(String address) {
        Object[] next = {null};
        gates.compute(address, (key, gate) -> {
            if (gate == null) {
                throw new IllegalStateException("a slot of " + address + " was given back twice");
            }
            Iterator<W> line = gate.waiting.iterator();
            while (line.hasNext()) {
                W waiting = line.next();
                line.remove();
                if (waiting.claim()) {
                    next[0] = waiting;
                    return gate;
                }
            }
            gate.inFlight--;
            return gate.isIdle() ? null : gate;
        });
        @SuppressWarnings("unchecked")
        W call = (W) next[0];
        return call;
    }

    /** @return how many addresses have calls in flight or waiting */
    int addresses() {
        return gates.size();
    }

    /** One address's state; only read and changed inside the map's update of its entry. */
    private static final class Gate<W> {
        private int inFlight;
        // Insertion-ordered for the line, and an abandoned call leaves it in constant time.
        private final LinkedHashSet<W> waiting = new LinkedHashSet<>();

        private boolean isIdle() {
            return inFlight == 0 && waiting.isEmpty();
        }
    }
}
