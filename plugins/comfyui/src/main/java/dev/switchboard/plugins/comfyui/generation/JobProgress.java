package dev.switchboard.plugins.comfyui.generation;

import java.util.HashSet;
import java.util.Set;

/**
 * How far a prompt is, as SwarmUI counts it: overall = (nodes finished + the current node's fraction) / (node count +
 * 1), current = the last {@code progress} message's value / max. Nodes ComfyUI took from its cache count as finished.
 * Only the job's thread uses it.
 */
final class JobProgress {
    private final int nodeCount;
    private final Set<String> finished = new HashSet<>();
    private String current;
    private double fraction;

    JobProgress(int nodeCount) {
        this.nodeCount = Math.max(0, nodeCount);
    }

    void cached(Iterable<String> nodes) {
        nodes.forEach(finished::add);
    }

    /** ComfyUI started running a node; the one before it is finished. */
    void enter(String node) {
        if (current != null) {
            finished.add(current);
        }
        current = node;
        fraction = 0;
    }

    /** A sampling step of the current node. */
    void step(double value, double max) {
        fraction = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
    }

    double overall() {
        return Math.min(1, (Math.min(finished.size(), nodeCount) + fraction) / (nodeCount + 1));
    }

    double current() {
        return fraction;
    }

    /** @return the node ComfyUI runs now, or null before the first */
    String node() {
        return current;
    }
}
