/**
 * Generation: the optional part of the contract through which a backend makes images.
 *
 * <p>A {@link dev.switchboard.api.Backend} instance that can generate also implements {@link ImageGenerator}.
 * The host queues jobs itself and hands one {@link GenerationJob} at a time per free slot (at most the
 * backend's {@code max_usages} at once) to a backend that is running, has the requested model and every
 * feature the request needs; the generator reports progress and delivers each image through a
 * {@link GenerationOutput}, and stops promptly when the job's {@link Cancellation} fires. What a backend can
 * use is reported through {@link dev.switchboard.api.BackendContext#setModels} (per {@link ModelType}) and,
 * for engines that run node graphs, {@link dev.switchboard.api.BackendContext#setNodeTypes}.
 *
 * <p>Backends that do not implement {@link ImageGenerator} (every plugin built before this package existed)
 * load and run as before and are never given jobs.
 *
 * @since 1.0
 */
package dev.switchboard.api.generation;
