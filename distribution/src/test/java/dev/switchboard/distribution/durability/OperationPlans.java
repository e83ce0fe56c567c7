package dev.switchboard.distribution.durability;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random step lists for the client threads of a concurrency try, reproducible from a seed. */
final class OperationPlans {
    private static final int MIN_STEPS = 5;
    private static final int MAX_STEPS = 60;
    /** Relative frequencies of the kinds, in {@link OperationStep.Kind} order. */
    private static final int[] WEIGHTS = {4, 1, 5, 3, 2, 1, 1, 1, 3};

    private OperationPlans() {
    }

    static List<List<OperationStep>> random(Random random, int threads) {
        OperationStep.Kind[] kinds = OperationStep.Kind.values();
        if (kinds.length != WEIGHTS.length) {
            throw new IllegalStateException("a weight for each of " + List.of(kinds));
        }
        int total = 0;
        for (int weight : WEIGHTS) {
            total += weight;
        }
        List<List<OperationStep>> plans = new ArrayList<>();
        for (int thread = 0; thread < threads; thread++) {
            List<OperationStep> steps = new ArrayList<>();
            int count = MIN_STEPS + random.nextInt(MAX_STEPS - MIN_STEPS + 1);
            for (int i = 0; i < count; i++) {
                int roll = random.nextInt(total);
                int kind = 0;
                while (roll >= WEIGHTS[kind]) {
                    roll -= WEIGHTS[kind];
                    kind++;
                }
                steps.add(new OperationStep(kinds[kind], random.nextInt(1000), random.nextLong()));
            }
            plans.add(steps);
        }
        return plans;
    }
}
