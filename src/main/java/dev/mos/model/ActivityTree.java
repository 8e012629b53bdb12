package dev.mos.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The activity tree of one session, as built from its retained events. */
public record ActivityTree(
        String sessionId,
        List<OperationNode> roots,
        int operationCount,
        int runningCount,
        long droppedEvents,
        long lastSequence) {

    public ActivityTree {
        roots = List.copyOf(roots);
    }

    /** Visits every node, parents before children. */
    public void forEach(Consumer<OperationNode> visitor) {
        List<OperationNode> stack = new ArrayList<>(roots.reversed());
        while (!stack.isEmpty()) {
            OperationNode node = stack.removeLast();
            visitor.accept(node);
            stack.addAll(node.children().reversed());
        }
    }

    public List<OperationNode> flatten() {
        List<OperationNode> all = new ArrayList<>(operationCount);
        forEach(all::add);
        return all;
    }
}
