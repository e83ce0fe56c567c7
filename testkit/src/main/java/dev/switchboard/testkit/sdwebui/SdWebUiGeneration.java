package dev.switchboard.testkit.sdwebui;

/**
 * One {@code POST /sdapi/v1/txt2img} the stand-in ran: what it was asked for and what it did.
 *
 * @param prompt the prompt
 * @param negativePrompt the negative prompt
 * @param seed the seed of the first image (a {@code -1} sent is replaced by the random seed used)
 * @param subseed the variation seed as sent ({@code -1} when none)
 * @param subseedStrength the variation strength as sent (0 when none)
 * @param steps the sampling steps
 * @param cfgScale the CFG scale
 * @param width the width in pixels
 * @param height the height in pixels
 * @param batchSize images per iteration
 * @param iterations {@code n_iter}, the iterations
 * @param samplerName the sampler as sent, or null
 * @param scheduler the scheduler as sent, or null
 * @param checkpoint the title of the checkpoint it generated with (an unknown override falls back to the loaded
 *     one, as SD-WebUI does)
 * @param clipStopAtLastLayers {@code override_settings.CLIP_stop_at_last_layers}, or null
 * @param restoreAfterwards {@code override_settings_restore_afterwards} (SD-WebUI's default: true)
 * @param interrupted whether an interrupt ended it early
 */
public record SdWebUiGeneration(String prompt, String negativePrompt, long seed, long subseed, double subseedStrength,
        int steps, double cfgScale, int width, int height, int batchSize, int iterations, String samplerName,
        String scheduler, String checkpoint, Integer clipStopAtLastLayers, boolean restoreAfterwards,
        boolean interrupted) {

    /** @return how many images it made: {@code batchSize * iterations} */
    public int images() {
        return batchSize * iterations;
    }
}
