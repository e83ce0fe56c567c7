package dev.switchboard.server.generation;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.LoraWeight;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.server.backends.BackendClaim;
import dev.switchboard.server.backends.JobFailedException;
import dev.switchboard.server.dispatch.BackendMatch;
import dev.switchboard.server.dispatch.DispatchOptions;
import dev.switchboard.server.dispatch.Dispatcher;
import dev.switchboard.server.dispatch.Job;
import dev.switchboard.server.dispatch.JobRequirements;
import dev.switchboard.server.dispatch.ModelNames;
import dev.switchboard.server.dispatch.QueueFullException;
import dev.switchboard.server.limits.UserLimits;
import dev.switchboard.server.outputs.OutputDescription;
import dev.switchboard.server.outputs.OutputSaveException;
import dev.switchboard.server.outputs.OutputStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a generation request into jobs (one per image, seeds {@code s + i * batchSize}), queues them at the
 * dispatcher, and delivers what they make to the request's sink: progress with previews, each image saved (or as
 * a data URL) with the parameters it was made with, and the first error. A request the user's role limits forbid
 * (no generations at all, or a model the user may not use) is refused before anything is queued.
 */
public final class GenerationService {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationService.class);
    private final Dispatcher dispatcher;
    private final OutputStore outputs;
    private final DispatchOptions options;
    private final UserLimits limits;
    private final AtomicLong jobIds = new AtomicLong();
    private final AtomicLong requestIds = new AtomicLong();

    /** A service without user limits ({@link UserLimits#NONE}). */
    public GenerationService(Dispatcher dispatcher, OutputStore outputs, DispatchOptions options) {
        this(dispatcher, outputs, options, UserLimits.NONE);
    }

    /** @param limits what each user may generate; the dispatcher enforces their running jobs' bound */
    public GenerationService(Dispatcher dispatcher, OutputStore outputs, DispatchOptions options, UserLimits limits) {
        this.dispatcher = requireNonNull(dispatcher, "dispatcher is null");
        this.outputs = requireNonNull(outputs, "outputs is null");
        this.options = requireNonNull(options, "options is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    /**
     * Queues a request's jobs; they then run as backends free up. The caller waits with
     * {@link GenerationRun#awaitEnd}.
     *
     * @throws QueueFullException when the session's or the server's queue bound would be passed (nothing queued)
     * @throws InvalidRequestException when the request's workflow cannot be used, or the user's role limits
     *     forbid it (nothing queued)
     */
    public GenerationRun start(String sessionId, String userId, GenerationRequest request, GenerationSink sink)
            throws QueueFullException, InvalidRequestException {
        return start(newRequestId(), sessionId, userId, request, sink);
    }

    /** A fresh request id (SwarmUI's {@code request_id}), for a transport that needs it before the jobs start. */
    public long newRequestId() {
        return requestIds.incrementAndGet();
    }

    /** Like {@link #start(String, String, GenerationRequest, GenerationSink)}, with an id from {@link #newRequestId}. */
    public GenerationRun start(long requestId, String sessionId, String userId, GenerationRequest request,
                               GenerationSink sink) throws QueueFullException, InvalidRequestException {
        JobRequirements requirements = requirements(request);
        checkLimits(userId, requirements);
        GenerationRun run = new GenerationRun(dispatcher, request, sink, requestId,
                request.doNotSave() ? null : outputs.stampRequest());
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < request.images(); i++) {
            int index = i;
            Job[] self = new Job[1];
            self[0] = new Job(jobIds.incrementAndGet(), sessionId, userId, requirements,
                    (claim, match) -> runJob(self[0], index, request, run, userId, claim, match), run::jobChanged);
            jobs.add(self[0]);
        }
        run.jobs(jobs);
        dispatcher.submit(sessionId, jobs);
        return run;
    }

    /** Cancels every queued and running job of a session (InterruptAll). */
    public void interruptSession(String sessionId) {
        dispatcher.cancelSession(sessionId, GenerationRun.INTERRUPTED);
    }

    /** Cancels every queued and running job of a user's sessions (InterruptAll with other_sessions). */
    public void interruptUser(String userId) {
        dispatcher.cancelUser(userId, GenerationRun.INTERRUPTED);
    }

    /** Refuses what the user's roles forbid: any generation at all, or a model the request names (of every kind). */
    private void checkLimits(String userId, JobRequirements requirements) throws InvalidRequestException {
        if (limits.maxRunning(userId) <= 0) {
            throw new InvalidRequestException(
                    "Your role does not allow generating images (max_t2i_simultaneous is 0).");
        }
        for (ModelType type : ModelType.values()) {
            for (String model : requirements.models().getOrDefault(type, List.of())) {
                // Every name the dispatcher may resolve the request to, so no spelling of a model slips through.
                for (String form : ModelNames.forms(model)) {
                    if (!limits.mayUseModel(userId, form)) {
                        throw new InvalidRequestException("You may not use the model '" + model
                                + "': your role does not allow it.");
                    }
                }
            }
        }
    }

    private static JobRequirements requirements(GenerationRequest request) throws InvalidRequestException {
        GenerationParameters base = request.base();
        Map<ModelType, List<String>> models = new EnumMap<>(ModelType.class);
        base.model().ifPresent(model -> models.put(ModelType.STABLE_DIFFUSION, List.of(model)));
        if (!base.loras().isEmpty()) {
            models.put(ModelType.LORA, base.loras().stream().map(LoraWeight::name).toList());
        }
        base.vae().ifPresent(vae -> models.put(ModelType.VAE, List.of(vae)));
        Set<String> nodes = request.workflowTemplate() == null ? Set.of()
                : WorkflowTemplate.parse(request.workflowTemplate()).nodeTypes();
        return new JobRequirements(models, request.features(), nodes, request.exactBackendId(),
                request.backendType());
    }

    private void runJob(Job job, int index, GenerationRequest request, GenerationRun run, String userId,
                        BackendClaim claim, BackendMatch match) throws JobFailedException {
        GenerationParameters parameters = forBackend(request, index, match, claim);
        int firstBatchIndex = index * parameters.batchSize();
        String metadata = ImageMetadata.json(ImageMetadata.of(parameters));
        int[] delivered = {0};
        String[] saveFailure = new String[1];
        GenerationOutput output = new GenerationOutput() {
            @Override
            public void progress(double overall, double current) {
                run.progress(firstBatchIndex, overall, current, null);
            }

            @Override
            public void preview(byte[] image, String mediaType) {
                try {
                    run.progress(firstBatchIndex, -1, -1, OutputStore.toDataUrl(image, mediaType));
                } catch (IllegalArgumentException e) {
                    LOG.debug("Dropped a preview of {}: {}", job, e.getMessage());
                }
            }

            @Override
            public void image(byte[] data, String mediaType) {
                int batchIndex;
                synchronized (delivered) {
                    batchIndex = firstBatchIndex + delivered[0]++;
                }
                try {
                    run.image(batchIndex, deliver(userId, request, parameters, data, mediaType, run), metadata);
                } catch (OutputSaveException | RuntimeException e) {
                    LOG.error("Could not save an image of {}", job, e);
                    synchronized (saveFailure) {
                        saveFailure[0] = e instanceof OutputSaveException failed ? failed.userMessage()
                                : OutputSaveException.SWARM_MESSAGE + " " + e.getMessage();
                    }
                    job.cancellation().cancel(saveFailure[0]);
                }
            }
        };
        JobFailedException failure = null;
        try {
            claim.generate(new GenerationJob("job-" + job.id(), parameters, job.cancellation()), output,
                    options.jobTimeout());
        } catch (JobFailedException e) {
            failure = e;
        }
        synchronized (saveFailure) {
            // A failed save cancelled the job: the client learns why, not just that it stopped.
            if (saveFailure[0] != null) {
                throw new JobFailedException(saveFailure[0]);
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (match.mainModel() != null) {
            claim.setCurrentModel(match.mainModel());
        }
    }

    /** The request's parameters for job {@code index} on the matched backend: its seed, its names of the models. */
    private static GenerationParameters forBackend(GenerationRequest request, int index, BackendMatch match,
                                                   BackendClaim claim) throws JobFailedException {
        GenerationParameters base = request.base();
        GenerationParameters.Builder builder = base.toBuilder().seed(request.seedOf(index));
        List<String> main = match.models().get(ModelType.STABLE_DIFFUSION);
        builder.model(main == null || main.isEmpty() ? base.model().orElse(null) : main.get(0));
        List<String> loras = match.models().get(ModelType.LORA);
        if (loras != null) {
            List<LoraWeight> resolved = new ArrayList<>();
            for (int i = 0; i < base.loras().size(); i++) {
                LoraWeight lora = base.loras().get(i);
                resolved.add(new LoraWeight(loras.get(i), lora.weight(), lora.textEncoderWeight()));
            }
            builder.loras(resolved);
        }
        List<String> vae = match.models().get(ModelType.VAE);
        if (vae != null && !vae.isEmpty()) {
            builder.vae(vae.get(0));
        }
        if (request.workflowTemplate() != null) {
            builder.workflow(fillWorkflow(request, builder.build(), claim));
        }
        return builder.build();
    }

    private static String fillWorkflow(GenerationRequest request, GenerationParameters job, BackendClaim claim)
            throws JobFailedException {
        boolean backslash = claim.backend().features().contains("folderbackslash");
        try {
            return WorkflowTemplate.parse(request.workflowTemplate()).fill(name -> WorkflowValues.of(name, job,
                    backslash));
        } catch (InvalidRequestException e) {
            throw new JobFailedException(e.getMessage());
        }
    }

    private String deliver(String userId, GenerationRequest request, GenerationParameters parameters, byte[] data,
                           String mediaType, GenerationRun run) throws OutputSaveException {
        if (request.doNotSave()) {
            return OutputStore.toDataUrl(data, mediaType);
        }
        OutputDescription description = new OutputDescription(run.stamp(), parameters.prompt(),
                parameters.negativePrompt(), parameters.model().orElse(""), parameters.seed(), parameters.width(),
                parameters.height(), parameters.steps(), parameters.cfgScale(), ImageMetadata.of(parameters));
        return outputs.save(userId, data, mediaType, description).viewPath();
    }
}
