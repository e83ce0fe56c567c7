package dev.switchboard.api.generation;

import java.util.Objects;

/**
 * One job: one run of the engine, making {@link GenerationParameters#batchSize()} images.
 *
 * @param id a unique id of the job (engines that need a client or request id may use it)
 * @param parameters what to make
 * @param cancellation fires when the job must stop
 * @since 1.0
 */
public record GenerationJob(String id, GenerationParameters parameters, Cancellation cancellation) {
    /**
     * Checks the fields.
     *
     * @param id the job's id, never null
     * @param parameters what to make, never null
     * @param cancellation the job's cancellation, never null
     * @throws NullPointerException when a field is null
     */
    public GenerationJob {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(parameters, "parameters is null");
        Objects.requireNonNull(cancellation, "cancellation is null");
    }
}
