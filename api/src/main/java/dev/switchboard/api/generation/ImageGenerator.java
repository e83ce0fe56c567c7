package dev.switchboard.api.generation;

/**
 * Implemented by a {@link dev.switchboard.api.Backend} instance that makes images. The host checks for it with
 * {@code instanceof} on each new instance; an instance that does not implement it is never given jobs.
 *
 * <p>Threads and limits: the host calls {@link #generate} on a host worker thread (never an HTTP I/O thread),
 * with the plugin's class loader as context class loader, only while the backend is
 * {@link dev.switchboard.api.BackendStatus#RUNNING RUNNING}, and never more than the backend's
 * {@code max_usages} times at once. Jobs wait in the host's queue, not in the engine's: a generator should run
 * the job it is given right away.
 *
 * @since 1.0
 */
public interface ImageGenerator {

    /**
     * Runs one job and returns when it is done: every image delivered through {@code output}, or a failure
     * thrown. Report progress as the engine makes it; deliver each final image with
     * {@link GenerationOutput#image} as soon as it exists, so clients see it before the job ends.
     *
     * <p>Cancellation: when the job is cancelled (the client interrupted or went away, the backend is being
     * stopped, or the job's deadline passed) the host runs the listeners registered with
     * {@link Cancellation#onCancel} and interrupts this thread; the generator then stops the engine's work (for
     * example deletes its prompt from the engine's queue or interrupts it) and returns or throws promptly.
     * Whatever it returns after a cancellation, the job counts as cancelled.
     *
     * @param job what to make; its parameters were validated by the host and name models exactly as this
     *     backend listed them
     * @param output where progress, previews and images go
     * @throws GenerationException when the job failed in a way the user should read (e.g. the engine refused
     *     the graph); the message is shown to the API client as is
     * @throws Exception for anything else; the client sees a generic failure and the operator the exception
     */
    void generate(GenerationJob job, GenerationOutput output) throws Exception;

    /**
     * Loads a model now, ahead of the jobs that will use it (SwarmUI's {@code SelectModel}). The host calls it only
     * with a model this backend listed, under the host's short-call deadline, and records the model as the
     * backend's current one when this returns true. The default loads nothing and returns true: the engine then
     * loads the model with the first job that names it.
     *
     * @param model the model, exactly as this backend listed it
     * @return true when the backend has (or will load on demand) the model; false when it could not load it
     * @throws Exception when the engine could not be asked; counted as false
     * @since 1.0
     */
    default boolean loadModel(String model) throws Exception {
        return true;
    }

    /**
     * Re-reads what the engine has (model files added or removed, new node types) and reports it again
     * through the context. Called when a client triggers a refresh; under the host's short-call deadline.
     *
     * @throws Exception when the engine could not be asked; the lists reported before stay in place
     */
    default void refreshModels() throws Exception {
    }
}
